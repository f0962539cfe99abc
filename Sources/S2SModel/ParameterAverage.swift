/// Checkpoint averaging: the element-wise mean of the parameters of several models of one
/// architecture, `θ̄ = (1/N) Σ_i θ_i` (Junczys-Dowmunt et al. 2016; Vaswani et al. 2017 average
/// the last checkpoints of a run). Points late in one run lie in one basin, so their mean is a
/// model too, and usually a better one than any of them; models from different runs are not
/// (their hidden units are permuted against each other), which is what ensembles are for.
package enum ParameterAverage {
    package enum Failure: Error, Sendable, CustomStringConvertible {
        case empty
        /// Model `index` (0-based) has another architecture than the first.
        case configuration(index: Int, first: ModelConfig, other: ModelConfig)

        package var description: String {
            switch self {
            case .empty: "nothing to average"
            case .configuration(let i, let first, let other):
                "model \(i + 1) is \(other.summary), the first is \(first.summary): only models of one architecture average"
            }
        }
    }

    /// A new model whose parameters are the mean of `models`' (summed in Double, so the order
    /// of the inputs changes nothing visible). The inputs are not modified.
    package static func average(_ models: [Seq2SeqModel]) throws(Failure) -> Seq2SeqModel {
        guard let first = models.first else { throw .empty }
        for (i, m) in models.enumerated() where m.config != first.config {
            throw .configuration(index: i, first: first.config, other: m.config)
        }
        // Same configuration ⇒ same parameter names, shapes and order.
        guard let result = try? Seq2SeqModel(config: first.config) else {
            preconditionFailure("ParameterAverage: the configuration of a loaded model no longer builds")
        }
        let scale = 1 / Double(models.count)
        var sum: [Double] = []
        for (k, target) in result.parameters.all.enumerated() {
            let n = target.value.count
            sum.removeAll(keepingCapacity: true)
            sum.append(contentsOf: repeatElement(0, count: n))
            for m in models {
                let p = m.parameters.all[k].value.data
                for j in 0..<n { sum[j] += Double(p[j]) }
            }
            let out = target.value.data
            for j in 0..<n { out[j] = Float(sum[j] * scale) }
        }
        result.parameters.bumpVersions()
        return result
    }
}
