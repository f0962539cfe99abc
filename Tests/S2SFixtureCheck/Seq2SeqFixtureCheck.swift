import S2SLayers
import S2SModel
import S2SNumerics
import S2SText

/// Agreement of one computed tensor with its reference.
package struct TensorComparison: Sendable {
    package let name: String
    package let shape: [Int]
    /// The criterion: max_i |x_i − r_i| / max_k |r_k|, the error relative to the tensor's scale
    /// (∞-norm). Elementwise relative error is not attainable in float32 for elements that are
    /// sums with heavy cancellation (PyTorch's own float32 run of the fixtures has elementwise
    /// errors above 1e-4 on `att_q.weight`); this norm-wise error is below 1e-5 there.
    package let maxRelativeError: Double
    /// max_i |x_i − r_i|.
    package let maxAbsoluteError: Double
    /// max_i |x_i − r_i| / max(|r_i|, 1e-3 · max_k |r_k|): elementwise, for information.
    package let maxElementwiseError: Double
    /// Elements compared (logits and attention skip positions whose target is `<pad>`).
    package let compared: Int

    /// Compares `values` with `reference` where `include` (default: everywhere). NaN counts as
    /// an infinite error.
    package init(name: String, shape: [Int], values: UnsafePointer<Float>, reference: [Double], include: ((Int) -> Bool)? = nil) {
        self.name = name
        self.shape = shape
        var scale = 0.0
        for (i, r) in reference.enumerated() where include?(i) ?? true { scale = max(scale, abs(r)) }
        let floor = max(1e-3 * scale, 1e-30)
        var elementwise = 0.0, absErr = 0.0, n = 0
        for (i, r) in reference.enumerated() where include?(i) ?? true {
            let x = Double(values[i])
            let d = x.isNaN ? Double.infinity : abs(x - r)
            elementwise = max(elementwise, d / max(abs(r), floor))
            absErr = max(absErr, d)
            n += 1
        }
        maxAbsoluteError = absErr
        maxRelativeError = absErr == 0 ? 0 : absErr / max(scale, 1e-30)
        maxElementwiseError = elementwise
        compared = n
    }
}

/// The outcome of running a fixture through the model.
package struct FixtureCheckReport: Sendable {
    package let comparisons: [TensorComparison]
    package let expectedGreedy: [[Int32]]?
    package let greedy: [[Int32]]
    package let loss: Double
    package let referenceLoss: Double

    package func failures(tolerance: Double = Seq2SeqFixtureCheck.tolerance) -> [TensorComparison] {
        comparisons.filter { !($0.maxRelativeError <= tolerance) }
    }

    package var greedyMatches: Bool { expectedGreedy.map { $0 == greedy } ?? true }

    package func passed(tolerance: Double = Seq2SeqFixtureCheck.tolerance) -> Bool {
        failures(tolerance: tolerance).isEmpty && greedyMatches
    }
}

/// Runs a reference fixture forward and backward and compares everything it holds.
package enum Seq2SeqFixtureCheck {
    /// float32 against float64: the agreement the issue asks for.
    package static let tolerance = 1e-4
    /// The greedy decode length of the fixtures.
    package static let greedyLength = 8

    /// `greedy` decodes the batch's sources with the loaded model, `greedyLength` tokens at most
    /// (S2SDecode's greedy search; `Seq2SeqFixtureCheck.run(_:precision:)` there passes it).
    package static func run(_ fixture: Seq2SeqFixture, precision: Precision = .fp32,
                           greedy: (Seq2SeqModel, [[Int32]]) throws -> [[Int32]]) throws(FixtureError) -> FixtureCheckReport {
        let config = try fixture.modelConfig()
        let batch = try fixture.makeBatch()
        let model: Seq2SeqModel
        do {
            model = try Seq2SeqModel(config: config)
            try model.parameters.load(fixture.parameterTensors())
        } catch {
            switch error {
            case let .missingTensor(name, shape): throw .missing("params.\(name) (expected shape \(shape))")
            case let .shapeMismatch(name, expected, found): throw .shapeMismatch(name: "params.\(name)", expected: expected, found: found)
            default: throw .unsupported(error.description)
            }
        }
        model.precision = precision
        model.parameters.zeroGrad()
        var rng = PCG32(seed: 1)
        let result: TrainingStepResult
        do {
            result = try model.forwardBackward(batch, options: TrainingStepOptions(training: false, captureIntermediates: true), rng: &rng)
        } catch {
            throw .unsupported(error.description)
        }
        let inter = result.intermediates!
        let B = batch.size, T = batch.targetLength, S = batch.sourceLength
        let realTarget = { (bt: Int) in batch.targetOutput[bt] != SpecialTokens.pad }
        var out: [TensorComparison] = []

        func compare(_ name: String, _ t: Tensor, _ ref: Seq2SeqFixture.Array?, include: ((Int) -> Bool)? = nil) throws(FixtureError) {
            guard let ref else { throw .missing(name) }
            guard ref.shape == t.shape, ref.data.count == t.count else {
                throw .shapeMismatch(name: name, expected: t.shape, found: ref.shape)
            }
            out.append(TensorComparison(name: name, shape: t.shape, values: t.data, reference: ref.data, include: include))
        }
        try compare("intermediate.encoder_outputs", inter.encoderOutputs, fixture.intermediate["encoder_outputs"])
        try compare("intermediate.decoder_h0", inter.initialHidden, fixture.intermediate["decoder_h0"])
        try compare("intermediate.attention", inter.attention, fixture.intermediate["attention"]) { realTarget($0 / S) }
        let V = config.targetVocabulary
        try compare("intermediate.logits", inter.logits, fixture.intermediate["logits"]) { realTarget($0 / V) }
        var loss = Float(result.meanLoss)
        out.append(TensorComparison(name: "loss", shape: [], values: &loss, reference: [fixture.loss]))
        for p in model.parameters.all { try compare("grads.\(p.name)", p.grad, fixture.grads[p.name]) }
        _ = T

        let sources = (0..<B).map { b in Array(batch.source[(b * S)..<(b * S + Int(batch.sourceLengths[b]))]) }
        let decoded: [[Int32]]
        do {
            decoded = try greedy(model, sources)
        } catch {
            throw .unsupported("greedy decode: \(error)")
        }
        return FixtureCheckReport(comparisons: out, expectedGreedy: fixture.greedy, greedy: decoded,
                                  loss: result.meanLoss, referenceLoss: fixture.loss)
    }
}
