import Foundation
import Testing
import S2SGradientCheck
import S2SLayers
import S2SModel
import S2SNumerics

/// `shape`'s model (small, weights enlarged) with variational dropout on the recurrent
/// connections of encoder and decoder, beside dropout at the other sites.
private func recurrentDropoutModel(_ shape: DecoderShape, rate: Float) throws -> Seq2SeqModel {
    try smallModel(shape.attention, encoderCell: shape.encoderCell, residual: shape.residual,
                   decoderHidden: shape.attention == .dot ? 6 : 5, decoderCell: shape.cell, decoderLayers: shape.layers,
                   inputFeeding: shape.inputFeeding, dropout: 0.1) {
        var c = $0
        c.recurrentDropout = rate
        return c
    }
}

/// Every decoder cell and depth (and every encoder cell) with recurrent masks: the whole
/// model's gradients match central differences, the masks fixed by the sentence seeds.
@Test(arguments: decoderShapes)
func modelGradientsMatchFiniteDifferencesWithRecurrentDropout(shape: DecoderShape) throws {
    let model = try recurrentDropoutModel(shape, rate: 0.4)
    #expect(model.config.dropoutRates.recurrent == 0.4)
    try checkModelGradients(model)
}

/// Training draws the masks; validation and decoding do not: the evaluation loss is the same
/// bits with the rate as without, the training loss is not.
@Test(arguments: [decoderShapes[0], decoderShapes[5]])
func recurrentDropoutIsOffAtEvaluation(shape: DecoderShape) throws {
    let batch = try smallBatch()
    let with = try recurrentDropoutModel(shape, rate: 0.4), without = try recurrentDropoutModel(shape, rate: 0)
    #expect(try with.evaluationLoss(batch).meanLoss == without.evaluationLoss(batch).meanLoss)
    let options = TrainingStepOptions(computeGradients: false)
    var a = PCG32(seed: 4), b = PCG32(seed: 4)
    #expect(try with.forwardBackward(batch, options: options, rng: &a).meanLoss
            != without.forwardBackward(batch, options: options, rng: &b).meanLoss)
}

/// Stored configurations from before the option decode with it off; a rate outside [0, 1) is
/// refused naming the field.
@Test func recurrentDropoutConfigurationDecodesAndValidates() throws {
    var config = ModelConfig(sourceVocabulary: 11, targetVocabulary: 13, embedding: 4, hidden: 3)
    config.recurrentDropout = 0.3
    let json = try JSONEncoder().encode(config)
    #expect(try JSONDecoder().decode(ModelConfig.self, from: json).recurrentDropout == 0.3)
    var old = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    old["recurrentDropout"] = nil
    let decoded = try JSONDecoder().decode(ModelConfig.self, from: try JSONSerialization.data(withJSONObject: old))
    #expect(decoded.recurrentDropout == 0 && decoded.dropoutRates.recurrent == 0)
    config.recurrentDropout = 1
    #expect(throws: LayerError.self) { try config.validate() }
    do {
        try config.validate()
    } catch {
        #expect(error.description.contains("recurrentDropout must be in [0, 1), got 1.0"))
    }
}
