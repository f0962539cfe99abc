import Foundation

/// The search options of a request. Requests are decoded together only when these (and the
/// model) are equal, since one beam search runs one set of options.
struct SearchOptions: Hashable, Sendable {
    var beam = 5
    var nBest = 1
    var alpha: Float = 0.6
    var attention = false
}

/// A checked `POST /v1/translate` body:
/// `{"src": ["…"], "model": "…", "beam": 5, "n_best": 1, "alpha": 0.6, "attention": false, "id": "…"}`.
/// Only `src` is required; any other field is refused, so a misspelt option is never ignored.
struct TranslateRequest: Sendable {
    var sentences: [String]
    var model: String?
    var options: SearchOptions
    /// Echoed in the reply, so a client can pair replies with requests.
    var id: String?

    static let fields = ["src", "model", "beam", "n_best", "alpha", "attention", "id"]

    /// Parses and checks `body`: 400 for anything malformed, 413 for too many or too long sentences.
    static func parse(_ body: [UInt8], limits: ServeLimits) throws(ServeError) -> TranslateRequest {
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .badRequest("the request body is not valid UTF-8")
        }
        let raw: RawBody
        do {
            raw = try JSONDecoder().decode(RawBody.self, from: Data(body))
        } catch let error as ServeError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            if context.codingPath.isEmpty { throw .badRequest("the request body is not a JSON object") }
            throw .badRequest("field '\(Self.path(context.codingPath))' has the wrong type (\(Self.expected(context.codingPath)))")
        } catch {
            throw .badRequest("the request body is not a JSON object: \(Self.summary(error))")
        }
        guard let src = raw.src else { throw .badRequest("field 'src' is missing (an array of sentences)") }
        guard !src.isEmpty else { throw .badRequest("field 'src' is empty") }
        guard src.count <= limits.maxSentences else {
            throw .tooLarge("field 'src' has \(src.count) sentences; the limit is \(limits.maxSentences) a request")
        }
        for (i, s) in src.enumerated() {
            if s.utf8.count > limits.maxSentenceBytes {
                throw .tooLarge("src[\(i)] is \(s.utf8.count) bytes; the limit is \(limits.maxSentenceBytes)")
            }
            if s.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                throw .badRequest("src[\(i)] is empty")
            }
        }
        var options = SearchOptions()
        if let beam = raw.beam {
            guard (1...limits.maxBeam).contains(beam) else { throw .badRequest("field 'beam' must be 1 to \(limits.maxBeam), got \(beam)") }
            options.beam = beam
        }
        if let nBest = raw.nBest {
            guard (1...options.beam).contains(nBest) else {
                throw .badRequest("field 'n_best' must be 1 to beam (\(options.beam)), got \(nBest)")
            }
            options.nBest = nBest
        }
        if let alpha = raw.alpha {
            guard alpha.isFinite, (0...10).contains(alpha) else { throw .badRequest("field 'alpha' must be 0 to 10, got \(alpha)") }
            options.alpha = Float(alpha)
        }
        options.attention = raw.attention ?? false
        if let model = raw.model, !ModelName.isValid(model) {
            throw .badRequest("field 'model': '\(model)' is not a model name (letters, digits, '-', '_', '.'; no '/' or '..')")
        }
        if let id = raw.id, id.utf8.count > 256 { throw .badRequest("field 'id' is longer than 256 bytes") }
        return TranslateRequest(sentences: src, model: raw.model, options: options, id: raw.id)
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
    }

    private static func expected(_ codingPath: [any CodingKey]) -> String {
        switch codingPath.first?.stringValue {
        case "src": return "an array of strings"
        case "model", "id": return "a string"
        case "beam", "n_best": return "an integer"
        case "alpha": return "a number"
        case "attention": return "true or false"
        default: return "see the API"
        }
    }

    /// The first line of a decoder error, without Foundation's debug dump.
    private static func summary(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0)".prefix(120).description } ?? context.debugDescription
        }
        return "\(error)".prefix(120).description
    }

    /// The body as sent; unknown keys are refused while decoding.
    private struct RawBody: Decodable {
        var src: [String]?
        var model: String?
        var beam: Int?
        var nBest: Int?
        var alpha: Double?
        var attention: Bool?
        var id: String?

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            for key in c.allKeys where !TranslateRequest.fields.contains(key.stringValue) {
                throw ServeError.badRequest("unknown field '\(key.stringValue)' (known: \(TranslateRequest.fields.joined(separator: ", ")))")
            }
            src = try c.decodeIfPresent([String].self, forKey: Key(stringValue: "src"))
            model = try c.decodeIfPresent(String.self, forKey: Key(stringValue: "model"))
            beam = try c.decodeIfPresent(Int.self, forKey: Key(stringValue: "beam"))
            nBest = try c.decodeIfPresent(Int.self, forKey: Key(stringValue: "n_best"))
            alpha = try c.decodeIfPresent(Double.self, forKey: Key(stringValue: "alpha"))
            attention = try c.decodeIfPresent(Bool.self, forKey: Key(stringValue: "attention"))
            id = try c.decodeIfPresent(String.self, forKey: Key(stringValue: "id"))
        }
    }
}
