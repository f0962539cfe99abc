import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling for long writes. The first SIGINT/SIGTERM only raises a flag that the import
/// loop polls, so the transaction is rolled back and the database stays exactly as before; a
/// second signal exits at once, which is still safe because an uncommitted SQLite transaction
/// never reaches the database file.
package enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Whether a signal arrived since `installHandler()` or `reset()`.
    package static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Clears the flag (tests, or a command that handled one interruption and goes on).
    package static func reset() { flag.store(false, ordering: .relaxed) }

    /// Raises the flag by hand (tests).
    package static func request() { flag.store(true, ordering: .relaxed) }

    /// Installs the handler for SIGINT and SIGTERM. Installed without SA_RESTART so that a
    /// `read` blocked on a pipe returns EINTR and the reader can notice the flag.
    package static func installHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = interruptSignalHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have spawned us with these blocked (the mask is inherited); unblock them,
        // or the handler would never run.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    fileprivate static func signalArrived() {
        if flag.exchange(true, ordering: .relaxed) { _exit(130) }
    }
}

/// The C signal handler: only async-signal-safe work (an atomic exchange, `_exit`).
private func interruptSignalHandler(_ signal: Int32) {
    Interrupt.signalArrived()
}
