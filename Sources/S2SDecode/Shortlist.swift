#if canImport(Glibc)
import Glibc
#endif

/// A vocabulary shortlist for the output layer (Marian's lexical shortlists, CTranslate2's
/// vocabulary map): a batch scores only the target tokens its source tokens make plausible,
/// plus the corpus's most frequent target tokens, instead of the whole vocabulary.
///
/// The table comes from the training corpus in the model's own subword ids. For a source token
/// s seen in c(s) sentence pairs, and a target token t in c(s, t) of them, the candidates of s
/// are the `perSource` tokens t of highest p(t | s) = c(s, t) / c(s) that are not already among
/// the `frequent` most frequent target tokens (those are always candidates; without the
/// exclusion they would fill every list, since "a", "der" co-occur with everything). Counts are
/// per pair, not per occurrence, so a word repeated in one sentence counts once. Ties break
/// toward the lower id, so a table is a function of the corpus alone.
///
/// A batch's candidates: the union over its sources' tokens, the frequent tokens and the
/// special tokens (`</s>` above all: every row must be able to stop). Shapes: `frequent` ids
/// [F]; `lists[s]` ids [≤ perSource].
package struct Shortlist: Sendable, Equatable {
    package let targetVocabulary: Int
    package let frequent: [Int32]
    package let lists: [[Int32]]
    /// Ids that are candidates in every batch besides `frequent` (`</s>`, `<unk>`).
    package let always: [Int32]

    package init(targetVocabulary: Int, frequent: [Int32], lists: [[Int32]], always: [Int32]) {
        self.targetVocabulary = targetVocabulary
        self.frequent = frequent
        self.lists = lists
        self.always = always
    }

    /// Learns the table from `pairs` of framed or unframed id sequences (padding and `<s>` are
    /// the caller's to leave out or keep; they only add candidates).
    package static func learn(pairs: [(source: [Int32], target: [Int32])], sourceVocabulary: Int,
                              targetVocabulary: Int, frequent: Int, perSource: Int, always: [Int32]) -> Shortlist {
        var targetCount = [Int](repeating: 0, count: targetVocabulary)
        var sourceCount = [Int](repeating: 0, count: sourceVocabulary)
        var cooccur = [[Int32: Int32]](repeating: [:], count: sourceVocabulary)
        var seenTarget = [Bool](repeating: false, count: targetVocabulary)
        var seenSource = [Bool](repeating: false, count: sourceVocabulary)
        for (source, target) in pairs {
            var ts: [Int32] = [], ss: [Int32] = []
            for t in target where t >= 0 && Int(t) < targetVocabulary && !seenTarget[Int(t)] { seenTarget[Int(t)] = true; ts.append(t) }
            for s in source where s >= 0 && Int(s) < sourceVocabulary && !seenSource[Int(s)] { seenSource[Int(s)] = true; ss.append(s) }
            for t in ts { targetCount[Int(t)] += 1; seenTarget[Int(t)] = false }
            for s in ss {
                seenSource[Int(s)] = false
                sourceCount[Int(s)] += 1
                for t in ts { cooccur[Int(s)][t, default: 0] += 1 }
            }
        }
        let byFrequency = (0..<targetVocabulary).filter { targetCount[$0] > 0 }
            .sorted { targetCount[$0] != targetCount[$1] ? targetCount[$0] > targetCount[$1] : $0 < $1 }
        let top = byFrequency.prefix(frequent).map(Int32.init)
        let isTop = Set(top)
        let lists = (0..<sourceVocabulary).map { s -> [Int32] in
            cooccur[s].filter { !isTop.contains($0.key) }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(perSource).map(\.key)
        }
        return Shortlist(targetVocabulary: targetVocabulary, frequent: top.sorted(), lists: lists, always: always.sorted())
    }

    /// The candidates of a batch, ascending and unique: every source token's list, the frequent
    /// tokens and `always`.
    package func candidates(for sources: [[Int32]]) -> [Int32] {
        var mark = [Bool](repeating: false, count: targetVocabulary)
        for id in frequent + always where id >= 0 && Int(id) < targetVocabulary { mark[Int(id)] = true }
        for source in sources {
            for s in source where s >= 0 && Int(s) < lists.count {
                for t in lists[Int(s)] where Int(t) < targetVocabulary { mark[Int(t)] = true }
            }
        }
        return mark.indices.filter { mark[$0] }.map(Int32.init)
    }
}
