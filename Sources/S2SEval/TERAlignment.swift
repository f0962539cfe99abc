/// sacrebleu 2.6.0's `lib_ter` (Tercom's algorithm): the edit distance between hypothesis and
/// reference words computed in a beam around the (length-ratio) diagonal, and greedy block
/// shifts of hypothesis words, each the candidate that lowers the distance most (ties: the
/// longer block, the earlier block, the earlier target), until no shift helps or 1000
/// candidates have been tried in all. Words are interned ids, compared like Python strings.
///
/// sacrebleu caches edit-distance rows by hypothesis prefix; every hypothesis one reference
/// meets has the same length, so a cached row equals a recomputed one and the cache is left
/// out: same numbers, less state.
enum TERAlignment {
    static let maxShiftSize = 10
    static let maxShiftDistance = 50
    static let beamWidth = 25
    static let maxShiftCandidates = 1000
    static let infinity = 10_000_000_000_000_000

    /// Edit operations, as sacrebleu's trace letters.
    enum Op: UInt8 { case insert, delete, keep, substitute, undefined }

    /// `translation_edit_rate`: (shifts + edit distance, reference length).
    static func editRate(_ hyp: [Int32], _ ref: [Int32]) -> (edits: Int, refLength: Int) {
        if ref.isEmpty { return (hyp.count, 0) }
        var shifts = 0
        var words = hyp
        var checked = 0
        while true {
            let (delta, shifted) = bestShift(words, ref, checked: &checked)
            if checked >= maxShiftCandidates { break }
            if delta <= 0 { break }
            shifts += 1
            words = shifted
        }
        return (shifts + editDistance(words, ref).distance, ref.count)
    }

    /// `_shift`: the gain of the best shift and the shifted words (0 and the words if none).
    static func bestShift(_ hyp: [Int32], _ ref: [Int32], checked: inout Int) -> (Int, [Int32]) {
        let (preScore, inverse) = editDistance(hyp, ref)
        // _flip_trace + trace_to_alignment: the trace rewrote hyp into ref; read it ref → hyp.
        var align = [Int](repeating: -1, count: ref.count)
        var refErr: [Int] = [], hypErr: [Int] = []
        var posHyp = -1, posRef = -1
        for op in inverse {
            switch op {
            case .keep, .substitute:
                posHyp += 1; posRef += 1
                align[posRef] = posHyp
                let e = op == .substitute ? 1 : 0
                hypErr.append(e); refErr.append(e)
            case .delete:  // flipped: an insertion into the hypothesis
                posHyp += 1
                hypErr.append(1)
            case .insert:  // flipped: a deletion from the reference
                posRef += 1
                align[posRef] = posHyp
                refErr.append(1)
            case .undefined:
                preconditionFailure("TER: undefined edit operation in a trace")
            }
        }
        var best: (score: Int, length: Int, negStart: Int, negIdx: Int, words: [Int32])?
        outer: for startH in hyp.indices {
            for startR in ref.indices where abs(startR - startH) <= maxShiftDistance {
                var length = 0
                while hyp[startH + length] == ref[startR + length] && length < maxShiftSize {
                    length += 1
                    // One candidate block (startH, startR, length).
                    if hypErr[startH..<(startH + length)].contains(where: { $0 != 0 })
                        && refErr[startR..<(startR + length)].contains(where: { $0 != 0 })
                        && !(startH <= align[startR] && align[startR] < startH + length) {
                        var previous = -1
                        for offset in -1..<length {
                            let idx = startR + offset == -1 ? 0 : align[startR + offset] + 1
                            if idx == previous { continue }
                            previous = idx
                            let shifted = performShift(hyp, start: startH, length: length, target: idx)
                            let candidate = (preScore - editDistance(shifted, ref).distance, length, -startH, -idx, shifted)
                            checked += 1
                            if let b = best {
                                if (candidate.0, candidate.1, candidate.2, candidate.3) > (b.score, b.length, b.negStart, b.negIdx) {
                                    best = candidate
                                }
                            } else {
                                best = candidate
                            }
                        }
                        if checked >= maxShiftCandidates { break outer }
                    }
                    if hyp.count == startH + length || ref.count == startR + length { break }
                }
            }
        }
        guard let best else { return (0, hyp) }
        return (best.score, best.words)
    }

    /// `_perform_shift`: the block [start, start+length) moved to before `target`.
    static func performShift(_ w: [Int32], start: Int, length: Int, target: Int) -> [Int32] {
        func s(_ a: Int, _ b: Int? = nil) -> ArraySlice<Int32> {
            let lo = min(a, w.count), hi = min(b ?? w.count, w.count)
            return lo < hi ? w[lo..<hi] : []
        }
        if target < start {
            return Array(s(0, target) + s(start, start + length) + s(target, start) + s(start + length))
        } else if target > start + length {
            return Array(s(0, start) + s(start + length, target) + s(start, start + length) + s(target))
        }
        return Array(s(0, start) + s(start + length, length + target) + s(start, start + length) + s(length + target))
    }

    /// `BeamEditDistance.__call__`: the distance and the trace (hypothesis → reference).
    static func editDistance(_ hyp: [Int32], _ ref: [Int32]) -> (distance: Int, trace: [Op]) {
        let nH = hyp.count, nR = ref.count
        let width = nR + 1
        var cost = [Int](repeating: infinity, count: (nH + 1) * width)
        var op = [Op](repeating: .undefined, count: (nH + 1) * width)
        for j in 0...nR { cost[j] = j; op[j] = .insert }
        let ratio = nH > 0 ? Double(nR) / Double(nH) : 1
        let beam = Double(beamWidth) < ratio / 2 ? Int((ratio / 2 + Double(beamWidth)).rounded(.up)) : beamWidth
        if nH > 0 {
            for i in 1...nH {
                let diagonal = Int((Double(i) * ratio).rounded(.down))
                let minJ = max(0, diagonal - beam)
                let maxJ = i == nH ? nR + 1 : min(nR + 1, diagonal + beam)
                guard minJ < maxJ else { continue }
                let row = i * width, above = (i - 1) * width
                for j in minJ..<maxJ {
                    if j == 0 {
                        cost[row] = cost[above] + 1
                        op[row] = .delete
                        continue
                    }
                    // Substitution (or match), deletion, insertion: the first strictly lower wins.
                    let same = hyp[i - 1] == ref[j - 1]
                    var best = cost[row + j], bestOp = op[row + j]
                    let sub = cost[above + j - 1] + (same ? 0 : 1)
                    if best > sub { best = sub; bestOp = same ? .keep : .substitute }
                    if best > cost[above + j] + 1 { best = cost[above + j] + 1; bestOp = .delete }
                    if best > cost[row + j - 1] + 1 { best = cost[row + j - 1] + 1; bestOp = .insert }
                    cost[row + j] = best
                    op[row + j] = bestOp
                }
            }
        }
        var trace: [Op] = []
        var i = nH, j = nR
        while i > 0 || j > 0 {
            let o = op[i * width + j]
            trace.append(o)
            switch o {
            case .keep, .substitute: i -= 1; j -= 1
            case .insert: j -= 1
            case .delete: i -= 1
            case .undefined: preconditionFailure("TER: the trace left the beam")
            }
        }
        return (cost[nH * width + nR], trace.reversed())
    }
}
