/// One metric's line in a report: what sacrebleu's `Score.format` needs.
package struct MetricResult: Sendable, Equatable {
    /// "BLEU", "chrF2", …
    package let name: String
    package let score: Double
    /// sacrebleu signature, e.g. "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0".
    package let signature: String
    /// The text after the score (BLEU's precisions and lengths); nil for chrF.
    package let verbose: String?

    package init(name: String, score: Double, signature: String, verbose: String?) {
        self.name = name
        self.score = score
        self.signature = signature
        self.verbose = verbose
    }

    /// A score with its bootstrap mean and 95% half-interval (`--confidence`).
    package init(name: String, score: Double, signature: String, verbose: String?, confidence: Significance.Result?) {
        self.init(name: name, score: score, signature: signature, verbose: verbose)
        confidenceMean = confidence?.mean?.value
        confidenceCI = confidence?.ci?.value
    }

    /// The bootstrap estimate, printed as "(μ = 24.0 ± 4.0)" after the score.
    package private(set) var confidenceMean: Double?
    package private(set) var confidenceCI: Double?

    /// sacrebleu prints the estimate only when its mean is positive.
    private var confidenceText: String? {
        guard let m = confidenceMean, let c = confidenceCI, m > 0 else { return nil }
        return "μ = \(ScoreFormat.fixed(m, widthForConfidence)) ± \(ScoreFormat.fixed(c, widthForConfidence))"
    }
    private var widthForConfidence = 1

    package init(_ s: BLEUScore, signature: String) {
        self.init(name: "BLEU", score: s.score, signature: signature, verbose: s.verbose)
    }

    package init(_ s: CHRFScore, signature: String) {
        self.init(name: s.name, score: s.score, signature: signature, verbose: nil)
    }

    /// `Score.format(width, signature=…)`: "BLEU|nrefs:1|… = 73.9 98.3/…".
    /// sacrebleu's `sc`: the score, with " (μ = m ± ci)" after a bootstrap — all that
    /// `--score-only` prints.
    package func scoreText(width: Int) -> String {
        var s = ScoreFormat.fixed(score, width)
        if let c = withWidth(width).confidenceText { s += " (\(c))" }
        return s
    }

    package func line(width: Int) -> String {
        var s = "\(name)|\(signature) = \(scoreText(width: width))"
        if let verbose, !verbose.isEmpty { s += " \(verbose)" }
        return s
    }

    /// `Score.format(width, signature=…, is_json=True)`: `json.dumps(d, indent=1, ensure_ascii=False)`.
    package func json(width: Int) -> String {
        var fields: [(String, String)] = [
            ("name", Self.quote(name)),
            ("score", ScoreFormat.jsonRounded(score, width)),
            ("signature", Self.quote(signature)),
        ]
        if let c = withWidth(width).confidenceText, let m = confidenceMean, let v = confidenceCI {
            fields.append(("confidence_mean", ScoreFormat.jsonRounded(m, width)))
            fields.append(("confidence_var", ScoreFormat.jsonRounded(v, width)))
            fields.append(("confidence", Self.quote(c)))
        }
        if let verbose, !verbose.isEmpty { fields.append(("verbose_score", Self.quote(verbose))) }
        for pair in signature.split(separator: "|", omittingEmptySubsequences: false) {
            let kv = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append((String(kv[0]), Self.quote(kv.count > 1 ? String(kv[1]) : "")))
        }
        return "{\n" + fields.map { " \(Self.quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}"
    }

    private func withWidth(_ width: Int) -> MetricResult {
        var copy = self
        copy.widthForConfidence = width
        return copy
    }

    /// A JSON string literal as Python's `json.dumps(..., ensure_ascii=False)` writes it.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// The output of `sacrebleu REF -i HYP -m … [-f text|json] [-w W]` for one system, byte for
/// byte: metrics in sacrebleu's order (sorted by upper-cased name: BLEU before CHRF), text
/// lines right-aligned on " = ", or the JSON objects in a list when there is more than one.
package enum SacreBLEUReport {
    package enum Format: String, Sendable, CaseIterable { case text, json }

    /// The report without the final newline that `print` adds.
    package static func render(_ results: [MetricResult], format: Format, width: Int = 1) -> String {
        switch format {
        case .json:
            let objects = results.map { $0.json(width: width) }
            return objects.count == 1 ? objects[0] : "[\n" + objects.joined(separator: ",\n") + "\n]"
        case .text:
            let lines = results.map { $0.line(width: width) }
            guard lines.count > 1 else { return lines.first ?? "" }
            // print_single_results: right-align everything before " = ".
            let cuts = lines.map { line -> Int in
                let chars = Array(line.unicodeScalars)
                let eq = chars.firstIndex(of: "=") ?? 1
                return eq - 1
            }
            let w = cuts.max() ?? 0
            return zip(lines, cuts).map { line, cut in
                let chars = Array(line.unicodeScalars)
                var left = String(String.UnicodeScalarView(chars[0..<cut]))
                left = String(repeating: " ", count: w - cut) + left
                return left + String(String.UnicodeScalarView(chars[cut...]))
            }.joined(separator: "\n")
        }
    }
}
