import ArgumentParser
import Foundation

/// `s2s serve`: runs `s2s-serve`, the HTTP service, which is a binary of its own so that `s2s`
/// (and `make demo`) never build or link SwiftNIO. It is looked for beside this binary.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve translations over HTTP (runs s2s-serve; see s2s serve --help).",
        discussion: "All arguments go to s2s-serve: --model [NAME=]DIR (repeatable), --host, --port, batching and limits.",
        helpNames: []
    )

    @Argument(parsing: .captureForPassthrough, help: "Arguments for s2s-serve.") var arguments: [String] = []

    func run() throws {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let server = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("s2s-serve").path
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw CommandFailure("serve", "the server binary \(server) is not built; run `make serve` "
                                 + "(swift build -c release --product s2s-serve)")
        }
        let argv = [server] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        execv(server, &cArgs)
        throw CommandFailure("serve", "cannot run \(server): \(String(cString: strerror(errno)))")
    }
}
