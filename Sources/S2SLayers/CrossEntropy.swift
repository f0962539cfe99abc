import S2SNumerics

/// Softmax cross-entropy over the target vocabulary, `nn.CrossEntropyLoss(ignore_index:,
/// label_smoothing:)` with mean reduction over the non-ignored rows.
package struct SoftmaxCrossEntropy: Sendable {
    package let ignoreIndex: Int32
    package let labelSmoothing: Float

    package init(ignoreIndex: Int32 = 0, labelSmoothing: Float = 0) {
        precondition(labelSmoothing >= 0 && labelSmoothing < 1, "SoftmaxCrossEntropy: label smoothing \(labelSmoothing) outside [0, 1)")
        self.ignoreIndex = ignoreIndex
        self.labelSmoothing = labelSmoothing
    }

    /// Rows whose target is not ignored.
    package func countTargets(_ targets: UnsafePointer<Int32>, count: Int) -> Int {
        var n = 0
        for i in 0..<count where targets[i] != ignoreIndex { n += 1 }
        return n
    }

    /// Loss of `logits` [N, V] against `targets` [N]. With `gradient` [N, V] (which may be
    /// `logits` itself), writes dLoss/dlogits for the MEAN loss over `normalizer` rows
    /// (default: the non-ignored rows of this call). Returns the summed loss and the number of
    /// counted rows.
    package func evaluate(logits: Matrix, targets: UnsafePointer<Int32>, gradient: Matrix?,
                         normalizer: Int? = nil) -> (lossSum: Double, count: Int) {
        let n = normalizer ?? countTargets(targets, count: logits.rows)
        return Kernels.softmaxCrossEntropy(
            logits: logits, targets: targets, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing,
            gradient: gradient, gradScale: n > 0 ? 1 / Float(n) : 0)
    }

    /// As `evaluate(logits:targets:gradient:)`, the gradient overwriting the logits in place.
    package func evaluate(logits: Matrix, targets: UnsafePointer<Int32>, computeGradient: Bool,
                         normalizer: Int? = nil) -> (lossSum: Double, count: Int) {
        evaluate(logits: logits, targets: targets, gradient: computeGradient ? logits : nil, normalizer: normalizer)
    }
}
