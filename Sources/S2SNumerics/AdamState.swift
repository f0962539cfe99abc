/// Adam / AdamW moment buffers for one parameter tensor, and the step count that drives bias
/// correction. The optimizer (in S2SLayers) owns one per parameter and calls
/// `Kernels.adamUpdate` with these buffers.
package struct AdamState: @unchecked Sendable {
    /// First moment, same element count as the parameter.
    package let m: Tensor
    /// Second moment, same element count as the parameter.
    package let v: Tensor
    /// Number of updates applied so far (0 before the first one).
    package var step: Int

    package init(count: Int) {
        m = Tensor(shape: [count])
        v = Tensor(shape: [count])
        step = 0
    }

    package init(m: Tensor, v: Tensor, step: Int) {
        precondition(m.count == v.count, "AdamState: m has \(m.count) elements, v has \(v.count)")
        self.m = m
        self.v = v
        self.step = step
    }
}
