import Testing
import S2SLayers
import S2SNumerics

/// Finite-difference gradient checking in float32, shared by the layer and model tests.
///
/// The objective is a fixed random projection of a layer's outputs, `L = Σ w ⊙ y`, summed in
/// Double. Central differences with a step of 1e-2 · max(1, |x|) keep truncation error near 1e-4
/// and float32 rounding of the outputs (≈1e-7 relative) well below the tolerance.
package struct GradientCheck {
    package var step: Float = 1e-2
    package var relativeTolerance: Double = 2e-2
    package var absoluteTolerance: Double = 2e-4
    /// Coordinates checked per tensor (all of them when the tensor is smaller).
    package var samples = 24

    package init(step: Float = 1e-2, relativeTolerance: Double = 2e-2, absoluteTolerance: Double = 2e-4, samples: Int = 24) {
        self.step = step
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.samples = samples
    }

    /// Checks `analytic` (dL/dx for every element of `x`) against central differences of
    /// `loss` with respect to `x`'s elements. `bump` is called after every change of `x`
    /// (weights must bump their version for the GEMM's packed cache).
    package func check(_ name: String, x: UnsafeMutablePointer<Float>, count: Int, analytic: [Float], rng: inout PCG32,
               bump: () -> Void = {}, loss: () -> Double, sourceLocation: SourceLocation = #_sourceLocation) {
        precondition(analytic.count == count)
        var indices = Array(0..<count)
        if count > samples {
            for i in 0..<samples { indices.swapAt(i, i + Int(rng.nextUInt32() % UInt32(count - i))) }
            indices = Array(indices.prefix(samples))
        }
        var worst = 0.0
        for i in indices {
            let saved = x[i]
            let h = step * max(1, abs(saved))
            x[i] = saved + h; bump()
            let up = loss()
            x[i] = saved - h; bump()
            let down = loss()
            x[i] = saved; bump()
            let fd = (up - down) / Double(2 * h)
            let a = Double(analytic[i])
            let err = abs(fd - a)
            let allowed = absoluteTolerance + relativeTolerance * max(abs(fd), abs(a))
            worst = max(worst, err / allowed)
            #expect(err <= allowed, "\(name)[\(i)]: analytic \(a), finite difference \(fd)", sourceLocation: sourceLocation)
        }
        #expect(worst.isFinite, "\(name): non-finite comparison", sourceLocation: sourceLocation)
    }

    /// Checks a parameter's accumulated gradient.
    package func check(_ p: Parameter, rng: inout PCG32, loss: () -> Double, sourceLocation: SourceLocation = #_sourceLocation) {
        check(p.name, x: p.value.data, count: p.count, analytic: p.grad.array, rng: &rng,
              bump: { p.value.bumpVersion() }, loss: loss, sourceLocation: sourceLocation)
    }
}

/// `Σ w ⊙ m` in Double (the objective's projection).
package func project(_ m: Matrix, _ w: Tensor) -> Double {
    precondition(w.count == m.rows * m.cols)
    var s = 0.0
    for r in 0..<m.rows { for c in 0..<m.cols { s += Double(m[r, c]) * Double(w[r * m.cols + c]) } }
    return s
}

package func randomTensor(_ shape: [Int], _ rng: inout PCG32, scale: Float = 1) -> Tensor {
    let t = Tensor(shape: shape)
    for i in 0..<t.count { t[i] = scale * rng.uniform(-1, 1) }
    return t
}

/// Fills every parameter with U(±scale) (larger than the default init, so gates saturate less
/// uniformly and the check sees nonlinear behaviour) and bumps versions.
package func randomize(_ set: ParameterSet, _ rng: inout PCG32, scale: Float = 0.5) {
    for p in set.all { for i in 0..<p.count { p.value[i] = scale * rng.uniform(-1, 1) } }
    set.bumpVersions()
}
