import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into a flag the training loop polls between steps, so Ctrl-C finishes
/// the current step, writes a checkpoint and exits instead of killing the process mid-write.
/// A second signal while stopping exits at once.
package enum StopSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the handlers (idempotent).
    package static func install() {
        let handler: @convention(c) (Int32) -> Void = { sig in
            if StopSignal.flag != 0 { _exit(128 + sig) }
            StopSignal.flag = 1
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    /// Whether a stop was requested.
    package static var requested: Bool { flag != 0 }

    /// Raises the flag without a signal (a caller that wants the same graceful stop).
    package static func request() { flag = 1 }

    /// Clears the flag (tests).
    package static func reset() { flag = 0 }
}
