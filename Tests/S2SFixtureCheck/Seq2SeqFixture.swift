import Foundation
import S2SLayers
import S2SModel
import S2SNumerics
import S2SText

/// A reference fixture written by `torch_seq2seq.py` (MODEL.md, "Fixture files"): a config,
/// one padded batch, parameters, float64 intermediates, the loss, every gradient and a greedy
/// decode.
package struct Seq2SeqFixture: Decodable, Sendable {
    package struct Config: Decodable, Sendable {
        package let src_vocab: Int, tgt_vocab: Int, emb: Int, hidden: Int, dec_hidden: Int, att_dim: Int, layers: Int
        package let pad: Int32?, bos: Int32?, eos: Int32?
        /// Architecture choices (Tests/S2SModelTests/Fixtures/generate_model_fixtures.py writes
        /// them; the first fixtures have none: an LSTM encoder, one GRU layer, additive).
        package let enc_cell: String?, dec_cell: String?, dec_layers: Int?, input_feeding: Bool?, residual: Bool?
        package let attention: String?
        /// "none" (absent), "target" or "all" (`EmbeddingTying`).
        package let tying: String?
    }
    package struct Batch: Decodable, Sendable {
        package let src: [[Int32]], src_lengths: [Int32], tgt_in: [[Int32]], tgt_out: [[Int32]]
    }
    /// A float64 array with its shape, flattened row-major.
    package struct Array: Decodable, Sendable {
        package let shape: [Int]
        package let data: [Double]
    }

    package let config: Config
    package let batch: Batch
    package let params: [String: Array]
    package let intermediate: [String: Array]
    package let loss: Double
    package let grads: [String: Array]
    package let greedy: [[Int32]]?

    /// Reads and decodes `path`; errors name the file and what is wrong.
    package static func load(path: String) throws(FixtureError) -> Seq2SeqFixture {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        do {
            return try JSONDecoder().decode(Seq2SeqFixture.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(path: path, detail: FixtureError.describe(error))
        } catch {
            throw .malformed(path: path, detail: "\(error)")
        }
    }

    /// The model configuration the fixture was computed with (no dropout).
    package func modelConfig() throws(FixtureError) -> ModelConfig {
        let ids = (config.pad ?? 0, config.bos ?? 2, config.eos ?? 3)
        guard ids == (SpecialTokens.pad, SpecialTokens.bos, SpecialTokens.eos) else {
            throw .unsupported("special ids pad/bos/eos = \(ids.0)/\(ids.1)/\(ids.2); this model uses 0/2/3")
        }
        func cell(_ name: String?, _ fallback: RecurrentCellKind) throws(FixtureError) -> RecurrentCellKind {
            guard let name else { return fallback }
            guard let kind = RecurrentCellKind(rawValue: name) else {
                throw .unsupported("cell '\(name)' (this build knows \(RecurrentCellKind.names))")
            }
            return kind
        }
        var attention = AttentionKind.additive
        if let name = config.attention {
            guard let kind = AttentionKind(rawValue: name) else { throw .unsupported("attention '\(name)'") }
            attention = kind
        }
        var tying = EmbeddingTying.none
        if let name = config.tying {
            guard let kind = EmbeddingTying(rawValue: name) else { throw .unsupported("embedding tying '\(name)'") }
            tying = kind
        }
        let c = ModelConfig(sourceVocabulary: config.src_vocab, targetVocabulary: config.tgt_vocab, embedding: config.emb,
                            hidden: config.hidden, decoderHidden: config.dec_hidden, attentionSize: config.att_dim,
                            layers: config.layers, encoderCell: try cell(config.enc_cell, .lstm),
                            decoderCell: try cell(config.dec_cell, .gru), decoderLayers: config.dec_layers ?? 1,
                            inputFeeding: config.input_feeding ?? true, residual: config.residual ?? false,
                            attention: attention, tying: tying)
        do { try c.validate() } catch { throw .unsupported(error.description) }
        return c
    }

    /// The fixture's batch as a `Seq2SeqBatch`.
    package func makeBatch() throws(FixtureError) -> Seq2SeqBatch {
        let B = batch.src.count
        guard B > 0, batch.tgt_in.count == B, batch.tgt_out.count == B, batch.src_lengths.count == B else {
            throw .unsupported("batch has \(batch.src.count) sources, \(batch.src_lengths.count) lengths, \(batch.tgt_in.count)/\(batch.tgt_out.count) targets")
        }
        let S = batch.src[0].count, T = batch.tgt_in[0].count
        guard batch.src.allSatisfy({ $0.count == S }),
              batch.tgt_in.allSatisfy({ $0.count == T }), batch.tgt_out.allSatisfy({ $0.count == T }) else {
            throw .unsupported("batch rows are not padded to one length")
        }
        do {
            return try Seq2SeqBatch(size: B, sourceLength: S, targetLength: T, source: batch.src.flatMap { $0 },
                                    sourceLengths: batch.src_lengths, targetInput: batch.tgt_in.flatMap { $0 },
                                    targetOutput: batch.tgt_out.flatMap { $0 })
        } catch {
            throw .unsupported(error.description)
        }
    }

    /// The parameters as float32 tensors.
    package func parameterTensors() -> [String: Tensor] {
        params.mapValues { Tensor(shape: $0.shape, values: $0.data.map { Float($0) }) }
    }
}

/// Why a fixture could not be used.
package enum FixtureError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(path: String, detail: String)
    case unsupported(String)
    case missing(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    package var description: String {
        switch self {
        case let .unreadable(path): return "\(path): cannot read file"
        case let .malformed(path, detail): return "\(path): not a seq2seq fixture: \(detail)"
        case let .unsupported(message): return "fixture: \(message)"
        case let .missing(name): return "fixture: missing tensor \(name)"
        case let .shapeMismatch(name, expected, found):
            return "fixture: tensor \(name) has shape \(found), the model computes \(expected)"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, c): return "missing key \(path(c).isEmpty ? "" : path(c) + ".")\(key.stringValue)"
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c):
            return "\(path(c).isEmpty ? "top level" : path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
