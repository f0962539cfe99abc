import S2SNumerics

/// Updates parameters from their gradients. State (moments, step count) is exported as named
/// tensors so a checkpoint can save it and a resumed run continues exactly.
package protocol Optimizer: AnyObject {
    /// One update of every parameter at learning rate `lr`; bumps each value's version.
    func step(_ parameters: ParameterSet, lr: Float)
    /// Updates applied so far.
    var stepCount: Int { get }
    /// State as named tensors (`{prefix}.{param}` per buffer, plus `{prefix}.step`).
    func stateTensors() -> [(name: String, tensor: Tensor)]
    /// Restores state saved by `stateTensors` for the same parameters.
    func loadState(_ tensors: [String: Tensor], parameters: ParameterSet) throws(LayerError)
}

/// Stochastic gradient descent with (optionally Nesterov) momentum and L2 weight decay,
/// `torch.optim.SGD` semantics: `b ← μ b + g`, `θ ← θ − lr · b` (first step: `b = g`).
package final class SGD: Optimizer {
    package let momentum: Float
    package let weightDecay: Float
    package let nesterov: Bool
    package private(set) var stepCount = 0
    private var buffers: [String: Tensor] = [:]

    package init(momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    package func step(_ parameters: ParameterSet, lr: Float) {
        for p in parameters.all {
            let n = p.count, w = p.value.data, g = p.grad.data
            if momentum == 0 {
                for i in 0..<n { w[i] -= lr * (g[i] + weightDecay * w[i]) }
            } else {
                let fresh = buffers[p.name] == nil
                let b = buffers[p.name] ?? Tensor(shape: [n])
                buffers[p.name] = b
                let m = b.data
                for i in 0..<n {
                    let d = g[i] + weightDecay * w[i]
                    m[i] = fresh ? d : momentum * m[i] + d
                    w[i] -= lr * (nesterov ? d + momentum * m[i] : m[i])
                }
            }
            p.value.bumpVersion()
        }
        stepCount += 1
    }

    package func stateTensors() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = [("sgd.step", Tensor(shape: [1], values: [Float(stepCount)]))]
        for name in buffers.keys.sorted() { out.append(("sgd.momentum.\(name)", buffers[name]!)) }
        return out
    }

    package func loadState(_ tensors: [String: Tensor], parameters: ParameterSet) throws(LayerError) {
        guard let s = tensors["sgd.step"], s.count == 1 else { throw .missingTensor(name: "sgd.step", expectedShape: [1]) }
        var loaded: [String: Tensor] = [:]
        for p in parameters.all {
            guard let t = tensors["sgd.momentum.\(p.name)"] else { continue }
            guard t.count == p.count else { throw .shapeMismatch(name: "sgd.momentum.\(p.name)", expected: [p.count], found: t.shape) }
            loaded[p.name] = t.clone()
        }
        buffers = loaded
        stepCount = Int(s[0])
    }
}

/// Adam (`decoupled: false`, L2 decay added to the gradient) or AdamW (`decoupled: true`),
/// with bias correction, `torch.optim.Adam/AdamW` semantics (via `Kernels.adamUpdate`).
package final class Adam: Optimizer {
    package let beta1: Double
    package let beta2: Double
    package let epsilon: Double
    package let weightDecay: Double
    package let decoupled: Bool
    package private(set) var stepCount = 0
    private var moments: [String: AdamState] = [:]

    package init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
                decoupled: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    package func step(_ parameters: ParameterSet, lr: Float) {
        stepCount += 1
        for p in parameters.all {
            let state = moments[p.name] ?? AdamState(count: p.count)
            moments[p.name] = state
            Kernels.adamUpdate(param: p.value.data, grad: p.grad.data, m: state.m.data, v: state.v.data, count: p.count,
                               lr: Double(lr), beta1: beta1, beta2: beta2, eps: epsilon, weightDecay: weightDecay,
                               decoupled: decoupled, step: stepCount)
            p.value.bumpVersion()
        }
    }

    package func stateTensors() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = [("adam.step", Tensor(shape: [1], values: [Float(stepCount)]))]
        for name in moments.keys.sorted() {
            out.append(("adam.m.\(name)", moments[name]!.m))
            out.append(("adam.v.\(name)", moments[name]!.v))
        }
        return out
    }

    package func loadState(_ tensors: [String: Tensor], parameters: ParameterSet) throws(LayerError) {
        guard let s = tensors["adam.step"], s.count == 1 else { throw .missingTensor(name: "adam.step", expectedShape: [1]) }
        var loaded: [String: AdamState] = [:]
        for p in parameters.all {
            let m = tensors["adam.m.\(p.name)"], v = tensors["adam.v.\(p.name)"]
            if m == nil && v == nil { continue }
            guard let m else { throw .missingTensor(name: "adam.m.\(p.name)", expectedShape: [p.count]) }
            guard let v else { throw .missingTensor(name: "adam.v.\(p.name)", expectedShape: [p.count]) }
            guard m.count == p.count else { throw .shapeMismatch(name: "adam.m.\(p.name)", expected: [p.count], found: m.shape) }
            guard v.count == p.count else { throw .shapeMismatch(name: "adam.v.\(p.name)", expected: [p.count], found: v.shape) }
            loaded[p.name] = AdamState(m: m.clone(), v: v.clone(), step: Int(s[0]))
        }
        moments = loaded
        stepCount = Int(s[0])
    }
}

/// Global gradient-norm clipping (`torch.nn.utils.clip_grad_norm_`): if ‖g‖₂ over all
/// parameters exceeds `maxNorm`, every gradient is scaled by maxNorm / (‖g‖ + 1e-6).
package enum GradientClipping {
    /// Returns the norm before clipping.
    @discardableResult
    package static func clipGlobalNorm(_ parameters: ParameterSet, maxNorm: Float) -> Float {
        var sum = 0.0
        for p in parameters.all { sum += Kernels.sumOfSquares(p.grad.data, count: p.count) }
        let norm = Float(sum.squareRoot())
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 {
            for p in parameters.all { Kernels.scale(p.grad.data, by: coef, count: p.count) }
        }
        return norm
    }
}
