import Foundation
import S2SCommandSupport

/// Sentences and `s2s translate`'s own answers for them, the reference every reply is held to.
enum ServeFixtures {
    /// The first `count` source lines of the bundled validation corpus (Multi30k English).
    static func sentences(_ count: Int) throws -> [String] {
        let path = ServerProcess.repository.appendingPathComponent("corpora/multi30k/val.en")
        let text = try String(contentsOf: path, encoding: .utf8)
        return Array(text.split(separator: "\n").prefix(count).map(String.init))
    }

    /// `s2s translate --model models/default FLAGS` on `lines`: one output per line. In fp32, as
    /// the server decodes (`auto` could take bf16 for the few-row steps of one but not the other).
    static func reference(_ lines: [String], flags: [String]) throws -> [String] {
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let run = try S2SCommand.run(["translate", "--model", ServerProcess.shippedModel, "--threads", "1", "--precision", "fp32"] + flags,
                                     stdin: input, environment: ["OMP_NUM_THREADS": "1"])
        guard run.status == 0 else { throw LoopbackHTTP.Failure(description: "s2s translate failed: \(run.stderr)") }
        var out = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if out.last == "" { out.removeLast() }
        return out
    }

    /// The `text` of every translation in a reply.
    static func texts(_ response: LoopbackHTTP.Response) -> [String] {
        ((response.json?["translations"] as? [[String: Any]]) ?? []).map { $0["text"] as? String ?? "<none>" }
    }

    /// A counter from `/metrics` text, nil when absent.
    static func metric(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }
}
