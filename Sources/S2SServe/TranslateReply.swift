import Foundation
import S2SDecode
import S2SEval

/// The body of a successful `POST /v1/translate`:
/// `{"id": …, "model": "default", "time_ms": 12.5, "translations": [{"text", "score", "n_best", "attention"?, "warnings"?}]}`,
/// one translation per source sentence, in order.
struct TranslateReply: Encodable {
    var id: String?
    var model: String
    var timeMs: Double
    var translations: [Item]

    struct Item: Encodable {
        var source: String
        var text: String
        var score: Float?
        var nBest: [Candidate]
        var attention: Attention?
        var warnings: [String]?

        enum CodingKeys: String, CodingKey {
            case source, text, score, nBest = "n_best", attention, warnings
        }
    }

    struct Candidate: Encodable {
        var text: String
        var score: Float?
        var logProb: Float?
        var finished: Bool

        enum CodingKeys: String, CodingKey { case text, score, logProb = "log_prob", finished }
    }

    /// Source and output pieces, weights [output][source], and the heatmap `s2s attention` draws.
    struct Attention: Encodable {
        var source: [String]
        var target: [String]
        var weights: [[Float]]
        var svg: String?
    }

    enum CodingKeys: String, CodingKey {
        case id, model, timeMs = "time_ms", translations
    }

    init(id: String?, model: String, seconds: Double, results: [Translator.Translation], nBest: Int) {
        self.id = id
        self.model = model
        timeMs = (seconds * 1e5).rounded() / 100
        translations = results.map { t in
            var item = Item(source: t.source, text: TranslationFormat.oneLine(t.text),
                            score: Self.finite(t.candidates.first?.score),
                            nBest: t.candidates.prefix(nBest).map {
                                Candidate(text: TranslationFormat.oneLine($0.text), score: Self.finite($0.score),
                                          logProb: Self.finite($0.logProb), finished: $0.finished)
                            },
                            warnings: t.warnings.isEmpty ? nil : t.warnings)
            if !t.sourcePieces.isEmpty {
                let weights = t.attention.map { row in row.map { Self.finite($0) ?? 0 } }
                // A plot that cannot be drawn (an empty output) leaves the weights alone.
                let svg = try? AttentionPlot.svg(sourceTokens: t.sourcePieces, outputTokens: t.outputPieces,
                                                 weights: weights, title: "\(t.source) → \(t.text)")
                item.attention = Attention(source: t.sourcePieces, target: t.outputPieces, weights: weights, svg: svg)
            }
            return item
        }
    }

    private static func finite(_ x: Float?) -> Float? {
        guard let x, x.isFinite else { return nil }
        return x
    }
}
