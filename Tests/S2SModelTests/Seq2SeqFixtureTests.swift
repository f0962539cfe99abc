import Foundation
import S2SFixtureCheck
import Testing
import S2SDecode
import S2SModel
import S2SNumerics

/// The PyTorch reference fixtures (copied from ../shared/peers/fixtures): forward intermediates,
/// loss, every parameter gradient and the greedy decode must agree to 1e-4 relative.
func fixturePath(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
                           "fixture \(name).json is not bundled with the test target")
    return url.path
}

/// The peer reference's two fixtures (from its torch_seq2seq.py, copied in) plus two edge cases
/// of our generator: a length-1 source, a target that is only `</s>`, three encoder layers, a
/// batch of one.
/// And the fixtures of our own PyTorch model (Fixtures/generate_model_fixtures.py): each cell in
/// encoder and decoder position, deep and residual stacks, input feeding off, every attention kind,
/// tied embeddings (target, and three-way).
@Test(arguments: ["seq2seq_1layer", "seq2seq_2layer", "model_edge_3layer", "model_edge_batch1",
                  "model_enc_rnn", "model_enc_gated", "model_enc_gru_residual", "model_dec_rnn", "model_dec_gated",
                  "model_dec_lstm_deep", "model_dec_gru_deep_dot", "model_no_input_feeding", "model_tied_target",
                  "model_tied_all"])
func fixtureAgreesWithPyTorch(name: String) throws {
    let fixture = try Seq2SeqFixture.load(path: try fixturePath(name))
    let report = try Seq2SeqFixtureCheck.run(fixture)
    // Every parameter's gradient plus the four intermediates and the loss.
    #expect(report.comparisons.count == fixture.params.count + 5)
    for c in report.comparisons {
        #expect(c.compared > 0, "\(name): \(c.name) compared nothing")
        #expect(c.maxRelativeError <= Seq2SeqFixtureCheck.tolerance,
                "\(name): \(c.name) \(c.shape) max relative error \(c.maxRelativeError) (abs \(c.maxAbsoluteError))")
    }
    #expect(abs(report.loss - report.referenceLoss) <= 1e-5 * report.referenceLoss)
    #expect(report.greedy == fixture.greedy, "\(name): greedy \(report.greedy) vs reference \(String(describing: fixture.greedy))")
}

@Test func fixtureWithWrongGradientFails() throws {
    // The check must be able to fail: perturb one reference gradient and see it reported.
    let fixture = try Seq2SeqFixture.load(path: try fixturePath("seq2seq_1layer"))
    let report = try Seq2SeqFixtureCheck.run(fixture)
    let grad = try #require(report.comparisons.first { $0.name == "grads.cell.weight_hh" })
    #expect(grad.maxRelativeError <= 1e-4)
    var t = Tensor(shape: [2], values: [1, 2])
    let wrong = TensorComparison(name: "x", shape: [2], values: t.data, reference: [1, 2.001])
    #expect(wrong.maxRelativeError > 1e-4)
    t = Tensor(shape: [1], values: [.nan])
    #expect(TensorComparison(name: "nan", shape: [1], values: t.data, reference: [0]).maxRelativeError > 1)
}

@Test func fixtureErrorsNameTheProblem() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-fixture-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try Data(contentsOf: URL(fileURLWithPath: try fixturePath("seq2seq_1layer")))
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    // A parameter with the wrong shape.
    var params = try #require(json["params"] as? [String: Any])
    params["bridge.bias"] = ["shape": [5], "data": [0, 0, 0, 0, 0]]
    json["params"] = params
    let bad = dir.appendingPathComponent("bad.json")
    try JSONSerialization.data(withJSONObject: json).write(to: bad)
    let fixture = try Seq2SeqFixture.load(path: bad.path)
    #expect(throws: FixtureError.self) { try Seq2SeqFixtureCheck.run(fixture) }
    do {
        _ = try Seq2SeqFixtureCheck.run(fixture)
    } catch {
        #expect(error.description.contains("bridge.bias") && error.description.contains("[5]") && error.description.contains("[6]"))
    }
    // A missing gradient.
    json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var grads = try #require(json["grads"] as? [String: Any])
    grads.removeValue(forKey: "att_v.weight")
    json["grads"] = grads
    try JSONSerialization.data(withJSONObject: json).write(to: bad)
    do {
        _ = try Seq2SeqFixtureCheck.run(try Seq2SeqFixture.load(path: bad.path))
        Issue.record("missing gradient not reported")
    } catch {
        #expect(error.description.contains("grads.att_v.weight"))
    }
    // Not JSON at all.
    try Data("{\"config\": 3}".utf8).write(to: bad)
    do {
        _ = try Seq2SeqFixture.load(path: bad.path)
        Issue.record("malformed fixture accepted")
    } catch {
        #expect(error.description.contains(bad.path))
    }
}
