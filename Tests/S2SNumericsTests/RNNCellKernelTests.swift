import Foundation
import Testing
@testable import S2SNumerics

// The fused C cell kernels against plain scalar references written from the formulas, in Double.

private func sig(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

private func randomMatrix(_ rows: Int, _ cols: Int, _ rng: inout PCG32, scale: Float = 2) -> Tensor {
    let t = Tensor(shape: [rows, cols])
    for i in 0..<t.count { t[i] = scale * rng.uniform(-1, 1) }
    return t
}

private func close(_ a: Float, _ b: Double, _ tol: Double = 2e-6) -> Bool { abs(Double(a) - b) <= tol * max(1, abs(b)) }

@Test func tanhAndSigmoidAreAccurateEverywhere() {
    let n = 200_001
    let x = Tensor(shape: [n]), y = Tensor(shape: [n]), z = Tensor(shape: [n])
    for i in 0..<n { x[i] = -30 + 60 * Float(i) / Float(n - 1) }
    x[0] = 1e-30; x[1] = -1e-7; x[2] = 0.625; x[3] = -0.625; x[4] = 100; x[5] = -100
    RNNCellKernels.tanh(x.data, into: y.data, count: n)
    RNNCellKernels.sigmoid(x.data, into: z.data, count: n)
    var worstT = 0.0, worstS = 0.0
    for i in 0..<n {
        let t = tanh(Double(x[i])), s = sig(Double(x[i]))
        worstT = max(worstT, abs(Double(y[i]) - t) / max(abs(t), 1e-38))
        // Below −87 σ is under 1e-38 (denormal range): only the absolute error matters there.
        worstS = max(worstS, x[i] < -87 ? abs(Double(z[i]) - s) / 1e-38 * 1e-7 : abs(Double(z[i]) - s) / s)
    }
    #expect(worstT < 4e-7, "tanh max relative error \(worstT)")
    #expect(worstS < 4e-7, "sigmoid max relative error \(worstS)")
    #expect(y[4] == 1 && y[5] == -1 && z[4] == 1 && z[5] >= 0)
}

@Test func lstmKernelsMatchScalarReference() {
    var rng = PCG32(seed: 1)
    let B = 5, H = 19   // H not a multiple of the vector width: exercises the tails
    let lengths: [Int32] = [3, 1, 2, 3, 0]
    let t = 1
    let pre = randomMatrix(B, 4 * H, &rng), bias = randomMatrix(1, 4 * H, &rng)
    let cPrev = randomMatrix(B, H, &rng), dy = randomMatrix(B, H, &rng), dhRec = randomMatrix(B, H, &rng)
    let dcIn = randomMatrix(B, H, &rng)
    let gates = pre.clone()
    // h is written into a strided view (second half of a [B, 2H] buffer), as the encoder does.
    let c = Tensor(shape: [B, H]), hBuf = Tensor(shape: [B, 2 * H], repeating: 7)
    let h = Matrix(hBuf.data + H, rows: B, cols: H, stride: 2 * H)
    lengths.withUnsafeBufferPointer {
        RNNCellKernels.lstmForward(gates: gates.matrix, bias: bias.data, cPrev: cPrev.matrix, c: c.matrix, h: h,
                                   lengths: $0.baseAddress, t: t)
    }
    let dc = dcIn.clone()
    let saved = gates.clone()
    lengths.withUnsafeBufferPointer {
        RNNCellKernels.lstmBackward(gates: gates.matrix, c: c.matrix, cPrev: cPrev.matrix, dy: dy.matrix, dhRec: dhRec.matrix,
                                    dc: dc.matrix, lengths: $0.baseAddress, t: t)
    }
    for b in 0..<B {
        let active = t < lengths[b]
        for j in 0..<H {
            #expect(hBuf.matrix[b, j] == 7, "the other half of the strided buffer is untouched")
            guard active else {
                #expect(c.matrix[b, j] == 0 && h[b, j] == 0 && dc.matrix[b, j] == 0)
                for k in 0..<4 { #expect(gates.matrix[b, k * H + j] == 0) }
                continue
            }
            let a = (0..<4).map { Double(pre.matrix[b, $0 * H + j]) + Double(bias[$0 * H + j]) }
            let i = sig(a[0]), f = sig(a[1]), g = tanh(a[2]), o = sig(a[3])
            let cp = Double(cPrev.matrix[b, j])
            let cn = f * cp + i * g, hn = o * tanh(cn)
            #expect(close(c.matrix[b, j], cn) && close(h[b, j], hn))
            for (k, v) in [i, f, g, o].enumerated() { #expect(close(saved.matrix[b, k * H + j], v)) }
            let dh = Double(dy.matrix[b, j]) + Double(dhRec.matrix[b, j])
            let tc = tanh(cn)
            let dct = Double(dcIn.matrix[b, j]) + dh * o * (1 - tc * tc)
            let expected = [dct * g * i * (1 - i), dct * cp * f * (1 - f), dct * i * (1 - g * g), dh * tc * o * (1 - o)]
            for (k, v) in expected.enumerated() { #expect(close(gates.matrix[b, k * H + j], v, 1e-5)) }
            #expect(close(dc.matrix[b, j], dct * f, 1e-5))
        }
    }
}

@Test func gruKernelsMatchScalarReference() {
    var rng = PCG32(seed: 2)
    let B = 4, H = 21
    let gi0 = randomMatrix(B, 3 * H, &rng), gh0 = randomMatrix(B, 3 * H, &rng)
    let bih = randomMatrix(1, 3 * H, &rng), bhh = randomMatrix(1, 3 * H, &rng)
    let hPrev = randomMatrix(B, H, &rng), dh = randomMatrix(B, H, &rng)
    let gi = gi0.clone(), gh = gh0.clone(), h = Tensor(shape: [B, H])
    RNNCellKernels.gruForward(gi: gi.matrix, gh: gh.matrix, bih: bih.data, bhh: bhh.data, hPrev: hPrev.matrix, h: h.matrix)
    let dhPrev = Tensor(shape: [B, H])
    RNNCellKernels.gruBackward(gi: gi.matrix, gh: gh.matrix, hPrev: hPrev.matrix, dh: dh.matrix, dhPrev: dhPrev.matrix)
    for b in 0..<B {
        for j in 0..<H {
            let x = { (k: Int) in Double(gi0.matrix[b, k * H + j]) + Double(bih[k * H + j]) }
            let hh = { (k: Int) in Double(gh0.matrix[b, k * H + j]) + Double(bhh[k * H + j]) }
            let r = sig(x(0) + hh(0)), z = sig(x(1) + hh(1)), n = tanh(x(2) + r * hh(2))
            let hp = Double(hPrev.matrix[b, j])
            #expect(close(h.matrix[b, j], (1 - z) * n + z * hp))
            let d = Double(dh.matrix[b, j])
            let dan = d * (1 - z) * (1 - n * n)
            let dar = dan * hh(2) * r * (1 - r)
            let daz = d * (hp - n) * z * (1 - z)
            for (k, v) in [dar, daz, dan].enumerated() { #expect(close(gi.matrix[b, k * H + j], v, 1e-5)) }
            for (k, v) in [dar, daz, dan * r].enumerated() { #expect(close(gh.matrix[b, k * H + j], v, 1e-5)) }
            #expect(close(dhPrev.matrix[b, j], d * z))
        }
    }
}

/// Reference attention for one query row: scores, masked softmax, context.
private func referenceAttention(keys: Matrix, enc: Matrix, sentence s: Int, S: Int, length: Int, q: [Double],
                                v: [Double]?) -> (alpha: [Double], ctx: [Double]) {
    var scores = [Double](repeating: 0, count: length)
    for j in 0..<length {
        for a in 0..<keys.cols {
            let k = Double(keys[s * S + j, a])
            scores[j] += v.map { $0[a] * tanh(k + q[a]) } ?? k * q[a]
        }
    }
    let m = scores.max()!
    let e = scores.map { exp($0 - m) }
    let sum = e.reduce(0, +)
    let alpha = e.map { $0 / sum } + [Double](repeating: 0, count: S - length)
    var ctx = [Double](repeating: 0, count: enc.cols)
    for j in 0..<length { for d in 0..<enc.cols { ctx[d] += alpha[j] * Double(enc[s * S + j, d]) } }
    return (alpha, ctx)
}

@Test(arguments: [false, true])
func attentionKernelsMatchScalarReference(bilinear: Bool) {
    var rng = PCG32(seed: bilinear ? 4 : 3)
    let N = 3, S = 6, A = 17, D = 18
    let lengths: [Int32] = [6, 1, 4]
    let keys = randomMatrix(N * S, A, &rng, scale: 1), enc = randomMatrix(N * S, D, &rng, scale: 1)
    let v = randomMatrix(1, A, &rng, scale: 1)
    let rows: [Int32] = [2, 0, 2, 1, 1]
    let q = randomMatrix(rows.count, A, &rng, scale: 1)
    let alpha = Tensor(shape: [rows.count, S]), ctx = Tensor(shape: [rows.count, D])
    lengths.withUnsafeBufferPointer { lens in
        rows.withUnsafeBufferPointer { r in
            if bilinear {
                RNNCellKernels.bilinearAttentionForward(keys: keys.matrix, enc: enc.matrix, sourceLength: S, lengths: lens.baseAddress!,
                                                        srcRow: r.baseAddress, q: q.matrix, alpha: alpha.matrix, ctx: ctx.matrix)
            } else {
                RNNCellKernels.additiveAttentionForward(keys: keys.matrix, enc: enc.matrix, sourceLength: S, lengths: lens.baseAddress!,
                                                        srcRow: r.baseAddress, q: q.matrix, v: v.data, alpha: alpha.matrix,
                                                        ctx: ctx.matrix, tanhSave: nil)
            }
        }
    }
    for (n, s) in rows.enumerated() {
        let ref = referenceAttention(keys: keys.matrix, enc: enc.matrix, sentence: Int(s), S: S, length: Int(lengths[Int(s)]),
                                     q: (0..<A).map { Double(q.matrix[n, $0]) }, v: bilinear ? nil : v.array.map(Double.init))
        for j in 0..<S { #expect(close(alpha.matrix[n, j], ref.alpha[j])) }
        for d in 0..<D { #expect(close(ctx.matrix[n, d], ref.ctx[d])) }
    }
}

@Test func additiveAttentionBackwardMatchesScalarReference() {
    var rng = PCG32(seed: 5)
    let N = 3, S = 5, A = 9, D = 7
    let lengths: [Int32] = [5, 2, 1]
    let keys = randomMatrix(N * S, A, &rng, scale: 1), enc = randomMatrix(N * S, D, &rng, scale: 1)
    let v = randomMatrix(1, A, &rng, scale: 1), q = randomMatrix(N, A, &rng, scale: 1), dctx = randomMatrix(N, D, &rng)
    let alpha = Tensor(shape: [N, S]), ctx = Tensor(shape: [N, D]), save = Tensor(shape: [N * S, A])
    let dEnc = Tensor(shape: [N * S, D], repeating: 0.5), dKeys = Tensor(shape: [N * S, A], repeating: -0.25)
    let dv = Tensor(shape: [N, A], repeating: 1), dq = Tensor(shape: [N, A])
    lengths.withUnsafeBufferPointer { lens in
        RNNCellKernels.additiveAttentionForward(keys: keys.matrix, enc: enc.matrix, sourceLength: S, lengths: lens.baseAddress!,
                                                srcRow: nil, q: q.matrix, v: v.data, alpha: alpha.matrix, ctx: ctx.matrix,
                                                tanhSave: save.data)
        RNNCellKernels.additiveAttentionBackward(enc: enc.matrix, sourceLength: S, lengths: lens.baseAddress!, v: v.data,
                                                 alpha: alpha.matrix, tanhSave: save.data, dctx: dctx.matrix,
                                                 dEnc: dEnc.matrix, dKeys: dKeys.matrix, dvRows: dv.matrix, dq: dq.matrix)
    }
    for n in 0..<N {
        let L = Int(lengths[n])
        let a = (0..<S).map { Double(alpha.matrix[n, $0]) }
        let dAlpha = (0..<L).map { j in (0..<D).reduce(0.0) { $0 + Double(dctx.matrix[n, $1]) * Double(enc.matrix[n * S + j, $1]) } }
        let dot = (0..<L).reduce(0.0) { $0 + a[$1] * dAlpha[$1] }
        var dqRef = [Double](repeating: 0, count: A), dvRef = [Double](repeating: 1, count: A)
        for j in 0..<S {
            for d in 0..<D {
                let expected = 0.5 + (j < L ? a[j] * Double(dctx.matrix[n, d]) : 0)
                #expect(close(dEnc.matrix[n * S + j, d], expected, 1e-5))
            }
            guard j < L else {
                for k in 0..<A { #expect(dKeys.matrix[n * S + j, k] == -0.25) }
                continue
            }
            let ds = a[j] * (dAlpha[j] - dot)
            for k in 0..<A {
                let t = tanh(Double(keys.matrix[n * S + j, k]) + Double(q.matrix[n, k]))
                let dt = ds * Double(v[k]) * (1 - t * t)
                #expect(close(dKeys.matrix[n * S + j, k], -0.25 + dt, 1e-5))
                dqRef[k] += dt
                dvRef[k] += ds * t
            }
        }
        for k in 0..<A {
            #expect(close(dq.matrix[n, k], dqRef[k], 1e-5))
            #expect(close(dv.matrix[n, k], dvRef[k], 1e-5))
        }
    }
}
