import S2SBundle
import S2SModel

/// How `s2s translate` writes a result: one line per input line, always.
package enum TranslationFormat: String, Sendable, CaseIterable {
    /// The translation; with n-best, the candidates separated by tabs, best first.
    case text
    /// One JSON object: `line`, `source`, `translation`, `score`, `log_prob`, `n_best`
    /// (`translation`, `score`, `log_prob`, `finished` each), `warnings` when there are any, and
    /// `attention` (`source`, `target` pieces and `weights` [target][source]) when kept.
    case jsonl

    /// The output line (without its newline) of result `t` of input line `number`.
    package func render(_ t: Translator.Translation, number: Int, nBest: Int) -> String {
        switch self {
        case .text:
            let texts = t.candidates.prefix(max(1, nBest)).map { Self.oneLine($0.text) }
            return texts.isEmpty ? "" : texts.joined(separator: "\t")
        case .jsonl:
            var json = JSONWriter()
            json.key("line"); json.number(number)
            json.key("source"); json.string(t.source)
            json.key("translation"); json.string(t.text)
            json.key("score"); json.number(t.candidates.first?.score)
            json.key("log_prob"); json.number(t.candidates.first?.logProb)
            json.key("n_best")
            json.array(t.candidates.prefix(max(1, nBest))) { w, c in
                w.object {
                    $0.key("translation"); $0.string(c.text)
                    $0.key("score"); $0.number(c.score)
                    $0.key("log_prob"); $0.number(c.logProb)
                    $0.key("finished"); $0.bool(c.finished)
                }
            }
            if !t.warnings.isEmpty {
                json.key("warnings"); json.array(t.warnings) { w, s in w.string(s) }
            }
            if !t.sourcePieces.isEmpty || !t.attention.isEmpty {
                json.key("attention")
                json.object {
                    $0.key("source"); $0.array(t.sourcePieces) { w, s in w.string(s) }
                    $0.key("target"); $0.array(t.outputPieces) { w, s in w.string(s) }
                    $0.key("weights"); $0.array(t.attention) { w, row in w.array(row) { w2, x in w2.number(x, digits: 4) } }
                }
            }
            return json.finish()
        }
    }

    /// A translation never contains a line break (it would break the line count), nor a tab in
    /// n-best text output.
    package static func oneLine(_ s: String) -> String {
        guard s.contains(where: { $0.isNewline || $0 == "\t" }) else { return s }
        return String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}

/// A minimal JSON writer for one object per line (escapes per RFC 8259; non-finite numbers as
/// null, since JSON has no NaN or infinity).
struct JSONWriter {
    private var out = "{"
    private var first = [true]

    mutating func key(_ k: String) {
        separator()
        appendString(k)
        out += ":"
        first[first.count - 1] = true  // the value follows without a comma
    }

    mutating func string(_ s: String) { separator(); appendString(s) }
    mutating func bool(_ b: Bool) { separator(); out += b ? "true" : "false" }
    mutating func number(_ i: Int) { separator(); out += String(i) }
    mutating func number(_ x: Float?, digits: Int? = nil) {
        separator()
        guard let x, x.isFinite else { out += "null"; return }
        if let digits {
            var scale: Float = 1
            for _ in 0..<digits { scale *= 10 }
            let r = (x * scale).rounded() / scale
            out += r == 0 ? "0" : "\(r)"
        } else {
            out += "\(x)"
        }
    }

    mutating func array<S: Sequence>(_ items: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        separator()
        out += "["
        first.append(true)
        for item in items { body(&self, item) }
        first.removeLast()
        out += "]"
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separator()
        out += "{"
        first.append(true)
        body(&self)
        first.removeLast()
        out += "}"
    }

    mutating func finish() -> String { out + "}" }

    private mutating func separator() {
        if first[first.count - 1] { first[first.count - 1] = false } else { out += "," }
    }

    private mutating func appendString(_ s: String) { out += SafeTensorsLayout.quote(s) }
}
