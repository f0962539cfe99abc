import Foundation

/// Wall-clock time per phase of a training step (`s2s bench train --profile`): where a step's
/// milliseconds go, to steer optimization. Off by default; when off, `lap` costs one branch.
package final class Seq2SeqProfile: @unchecked Sendable {
    package var enabled = false
    /// Charge process CPU time instead of wall time: robust to other load on the machine
    /// (with one engine thread it equals the quiet-machine wall time, near enough).
    package var cpuTime = false
    package private(set) var totals: [String: Double] = [:]
    private var order: [String] = []
    private var last: UInt64 = 0

    package init() {}

    /// Starts timing (call at the beginning of a step).
    package func start() {
        if enabled { last = now() }
    }

    /// Charges the time since the previous lap (or `start`) to `phase`.
    package func lap(_ phase: String) {
        guard enabled else { return }
        let now = now()
        defer { last = now }
        guard last != 0 else { return }   // first lap without `start`: only starts the clock
        if totals[phase] == nil { order.append(phase) }
        totals[phase, default: 0] += Double(now - last) / 1e6
    }

    private func now() -> UInt64 {
        guard cpuTime else { return DispatchTime.now().uptimeNanoseconds }
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    package func reset() {
        totals = [:]
        order = []
    }

    /// Phases in first-seen order with their total milliseconds.
    package var phases: [(name: String, milliseconds: Double)] { order.map { ($0, totals[$0]!) } }
}
