/// A request the service refuses, with the HTTP status that says why; the client receives
/// `{"error": {"status": N, "message": "…"}}`.
package struct ServeError: Error, Sendable, Equatable, CustomStringConvertible {
    package let status: Int
    package let message: String

    package init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { "\(status): \(message)" }

    static func badRequest(_ message: String) -> ServeError { ServeError(status: 400, message) }
    static func notFound(_ message: String) -> ServeError { ServeError(status: 404, message) }
    static func methodNotAllowed(_ message: String) -> ServeError { ServeError(status: 405, message) }
    static func tooLarge(_ message: String) -> ServeError { ServeError(status: 413, message) }
    static func unsupportedMediaType(_ message: String) -> ServeError { ServeError(status: 415, message) }
    static func queueFull(_ message: String) -> ServeError { ServeError(status: 429, message) }
    static func unavailable(_ message: String) -> ServeError { ServeError(status: 503, message) }
}
