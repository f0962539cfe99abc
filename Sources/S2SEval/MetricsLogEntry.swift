import Foundation

/// One line of a training metrics log.
///
/// # The metrics log format (`metrics.jsonl`, written by `s2s train` next to the checkpoint)
///
/// UTF-8 text, one JSON object per line, appended as training goes (a line is written whole,
/// then flushed; a reader may see a last line cut short while the trainer is running and
/// skips it). Keys are snake_case; readers ignore keys they do not know, so new fields can
/// be added without breaking old plots.
///
/// A training line, one per logging interval (values averaged over the interval):
///
///     {"kind":"train","step":1200,"epoch":3,"time_s":431.7,"loss":3.214,"ppl":24.88,
///      "lr":0.0005,"tokens_per_s":10412.5,"tf_ratio":0.92}
///
/// - `step`: optimizer updates so far (Int, ≥ 0); the x axis of every plot.
/// - `epoch`: passes over the training split so far, counting from 1 (Int).
/// - `time_s`: wall-clock seconds since training started, resumes included (Double).
/// - `loss`: mean per-target-token cross-entropy in nats (label smoothing included as trained).
/// - `ppl`: `exp` of the loss without label smoothing.
/// - `lr`: learning rate in force at `step`.
/// - `tokens_per_s`: target tokens per second over the interval.
/// - `tf_ratio`: teacher-forcing probability ε at `step` (1 = pure teacher forcing).
///
/// A validation line, one per validation run:
///
///     {"kind":"valid","step":1200,"epoch":3,"time_s":445.2,"loss":3.402,"ppl":30.02,"bleu":18.73}
///
/// - `step`, `loss`, `ppl` as above (loss on the validation split, no label smoothing);
/// - `bleu`: corpus BLEU of greedy decoding on the validation split (sacrebleu-identical, 0–100),
///   absent or `null` when not computed;
/// - `epoch` and `time_s` optional.
///
/// Key order does not matter (the trainer's `JSONEncoder` sorts keys). This type mirrors the
/// trainer's own record type in S2SModel; S2SEval does not depend on S2SModel, so the format
/// — not a shared Swift type — is the contract between them.
///
/// Non-finite numbers are not valid JSON: a writer puts `null` for an optional field and does
/// not log a non-finite loss at all (the trainer skips such steps).
package struct MetricsLogEntry: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable { case train, valid }

    package var kind: Kind
    package var step: Int
    package var epoch: Int?
    package var timeSeconds: Double?
    package var loss: Double
    package var perplexity: Double?
    package var learningRate: Double?
    package var tokensPerSecond: Double?
    package var teacherForcingRatio: Double?
    package var bleu: Double?
    /// Corpus chrF of the same decoding (absent in logs written before it was recorded).
    package var chrf: Double?

    enum CodingKeys: String, CodingKey {
        case kind, step, epoch, loss, bleu, chrf
        case timeSeconds = "time_s"
        case perplexity = "ppl"
        case learningRate = "lr"
        case tokensPerSecond = "tokens_per_s"
        case teacherForcingRatio = "tf_ratio"
    }

    /// A training-interval record.
    package static func train(step: Int, epoch: Int, timeSeconds: Double, loss: Double, perplexity: Double,
                             learningRate: Double, tokensPerSecond: Double, teacherForcingRatio: Double) -> MetricsLogEntry {
        MetricsLogEntry(kind: .train, step: step, epoch: epoch, timeSeconds: timeSeconds, loss: loss, perplexity: perplexity,
                      learningRate: learningRate, tokensPerSecond: tokensPerSecond,
                      teacherForcingRatio: teacherForcingRatio, bleu: nil, chrf: nil)
    }

    /// A validation record.
    package static func valid(step: Int, epoch: Int? = nil, timeSeconds: Double? = nil, loss: Double,
                             perplexity: Double, bleu: Double?, chrf: Double? = nil) -> MetricsLogEntry {
        MetricsLogEntry(kind: .valid, step: step, epoch: epoch, timeSeconds: timeSeconds, loss: loss, perplexity: perplexity,
                      learningRate: nil, tokensPerSecond: nil, teacherForcingRatio: nil, bleu: bleu, chrf: chrf)
    }

    /// The record as one log line (no newline), keys in the documented order, absent values
    /// left out, non-finite optional values written as `null`.
    package var jsonLine: String {
        var fields = ["\"kind\":\"\(kind.rawValue)\"", "\"step\":\(step)"]
        if let epoch { fields.append("\"epoch\":\(epoch)") }
        func add(_ key: String, _ v: Double?) {
            guard let v else { return }
            fields.append("\"\(key)\":" + (v.isFinite ? "\(v)" : "null"))
        }
        add("time_s", timeSeconds)
        add("loss", loss)
        add("ppl", perplexity)
        add("lr", learningRate)
        add("tokens_per_s", tokensPerSecond)
        add("tf_ratio", teacherForcingRatio)
        add("bleu", bleu)
        add("chrf", chrf)
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// Reads metrics logs.
package enum MetricsLogReader {
    /// What a log holds, plus lines that were skipped (the one a running trainer may be writing).
    package struct Contents: Sendable {
        package var records: [MetricsLogEntry]
        package var warnings: [String]
    }

    /// Parses `path`. Blank lines are ignored; a final line without its newline that does not
    /// parse is skipped with a warning (the trainer may be writing it); any other bad line is
    /// an error naming the file and line.
    package static func read(path: String) throws(MetricsLogError) -> Contents {
        let lines: [String]
        let data: Data
        do {
            data = try TextLines.readBytes(path: path)
            lines = try TextLines.split(data, path: path)
        } catch {
            switch error.problem {
            case let .invalidUTF8(offset): throw MetricsLogError(path: path, line: error.line, problem: "invalid UTF-8 at byte \(offset)")
            case let .unreadable(why), let .unwritable(why): throw MetricsLogError(path: path, line: error.line, problem: "cannot read: \(why)")
            }
        }
        let endsWithNewline = data.last == 0x0A
        var out = Contents(records: [], warnings: [])
        let decoder = JSONDecoder()
        for (i, line) in lines.enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                let record = try decoder.decode(MetricsLogEntry.self, from: Data(line.utf8))
                guard record.loss.isFinite else {
                    throw MetricsLogError(path: path, line: i + 1, problem: "loss is not finite")
                }
                out.records.append(record)
            } catch let error as MetricsLogError {
                throw error
            } catch {
                if i == lines.count - 1 && !endsWithNewline {
                    out.warnings.append("\(path):\(i + 1): skipped an incomplete last line")
                    continue
                }
                throw MetricsLogError(path: path, line: i + 1, problem: describe(error))
            }
        }
        return out
    }

    /// A one-line reason from a decoding error ("missing key 'loss'", "not JSON").
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "not a JSON object" }
        switch e {
        case let .keyNotFound(key, _): return "missing key '\(key.stringValue)'"
        case let .typeMismatch(_, ctx): return "wrong type for '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
        case let .valueNotFound(_, ctx): return "null for required '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
        case let .dataCorrupted(ctx):
            if let key = ctx.codingPath.last { return "bad value for '\(key.stringValue)'" }
            return "not a JSON object"
        @unknown default: return "not a metrics record"
        }
    }
}

/// A metrics log that cannot be used; the description is the one-line message for the user.
package struct MetricsLogError: Error, Equatable, CustomStringConvertible {
    package let path: String
    package let line: Int?
    package let problem: String

    package var description: String {
        (line.map { "\(path):\($0)" } ?? path) + ": " + problem
    }
}
