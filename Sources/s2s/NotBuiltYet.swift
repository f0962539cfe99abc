import ArgumentParser

/// Raised by subcommands whose stage has not landed yet: a clear message and a non-zero exit,
/// never a silent success.
struct NotBuiltYet: Error, CustomStringConvertible {
    let command: String
    var description: String { "s2s \(command): not built yet" }
}
