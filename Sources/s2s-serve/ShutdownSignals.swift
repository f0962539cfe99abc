import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// SIGTERM and SIGINT as events instead of deaths: each calls `handler` with the signal's name.
/// (Unchecked: the sources are set once in `init` and only cancelled after.)
final class ShutdownSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(handler: @escaping @Sendable (String) -> Void) {
        sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(name) }
            source.resume()
            return source
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}

/// Set once when the models fail to load; the server is then shut down and the exit is 1.
final class LoadFailure: Sendable {
    private let state = NIOLockedValueBox<(set: Bool, action: (@Sendable () -> Void)?)>((false, nil))

    var isSet: Bool { state.withLockedValue { $0.set } }

    func set() {
        let action = state.withLockedValue { s in
            s.set = true
            return s.action
        }
        action?()
    }

    /// Runs `action` when set (at once if it already is).
    func onSet(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLockedValue { s in
            s.action = action
            return s.set
        }
        if now { action() }
    }
}
