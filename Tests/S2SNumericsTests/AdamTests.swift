import Foundation
import Testing
@testable import S2SNumerics

/// torch.optim.Adam / AdamW (single-tensor path) for one element, written as PyTorch does it.
struct ScalarAdam {
    var m: Float = 0, v: Float = 0
    mutating func step(_ p: inout Float, _ grad: Float, t: Int, lr: Double, b1: Double, b2: Double,
                       eps: Double, wd: Double, decoupled: Bool) {
        var g = grad
        if decoupled { p *= Float(1 - lr * wd) } else if wd != 0 { g = g + Float(wd) * p }
        m = m + Float(1 - b1) * (g - m)
        v = v * Float(b2) + (Float(1 - b2) * g) * g
        let bc1 = 1 - pow(b1, Double(t)), bc2 = 1 - pow(b2, Double(t))
        let denom = v.squareRoot() / Float(bc2.squareRoot()) + Float(eps)
        p = p + (-Float(lr / bc1) * m) / denom
    }
}

@Test(arguments: [(false, 0.0), (false, 0.01), (true, 0.01)])
func adamMatchesScalarReference(decoupled: Bool, weightDecay: Double) {
    var rng = PCG32(seed: 31)
    let n = 37
    let param = randomTensor([n], &rng), state = AdamState(count: n)
    var ref = param.array
    var refState = [ScalarAdam](repeating: ScalarAdam(), count: n)
    var s = state
    for _ in 0..<25 {
        let grad = randomTensor([n], &rng)
        s.step += 1
        Kernels.adamUpdate(param: param.data, grad: grad.data, m: s.m.data, v: s.v.data, count: n,
                           lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: weightDecay,
                           decoupled: decoupled, step: s.step)
        for i in 0..<n {
            refState[i].step(&ref[i], grad[i], t: s.step, lr: 1e-2, b1: 0.9, b2: 0.999, eps: 1e-8,
                             wd: weightDecay, decoupled: decoupled)
        }
    }
    for i in 0..<n {
        #expect(abs(param[i] - ref[i]) <= 1e-6 * max(1, abs(ref[i])), "param \(i)")
        #expect(abs(s.m[i] - refState[i].m) <= 1e-6 && abs(s.v[i] - refState[i].v) <= 1e-7, "moments \(i)")
    }
}

/// The first Adam step moves every parameter by about lr·sign(grad): bias correction works.
@Test func adamFirstStepIsSignTimesLearningRate() {
    let p = Tensor(shape: [3], values: [1, 1, 1]), g = Tensor(shape: [3], values: [0.5, -2, 1e-3])
    let state = AdamState(count: 3)
    Kernels.adamUpdate(param: p.data, grad: g.data, m: state.m.data, v: state.v.data, count: 3,
                       lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1)
    #expect(abs(p[0] - 0.9) < 1e-5 && abs(p[1] - 1.1) < 1e-5 && abs(p[2] - 0.9) < 1e-4)
}
