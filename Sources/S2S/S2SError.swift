/// A failure of the s2s library: one line that names the file, line or setting concerned, as
/// the `s2s` command prints it.
public struct S2SError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Wraps any error of the stages below this module in the library's one error type.
    init(_ error: any Error) {
        self.description = (error as? S2SError)?.description ?? "\(error)"
    }
}
