import Foundation
import S2SNumerics

/// Picks the engine's thread count from how busy the machine is, for `--threads 0` (auto).
///
/// OpenMP workers spin at every parallel region's barrier; when another process holds one of
/// the cores, a worker waits for its time slice at every region, and decoding (a dozen small
/// regions per step) slows down 10–20× (measured: 1,014 Multi30k sentences, greedy, 41.6 s with
/// 2 threads vs 1.9 s with 1 thread while one core ran another training). So before each batch
/// the advisor reads how many cores other processes used since the last look (/proc/stat
/// minus this process's own CPU time) and runs on the cores left, at least one.
final class ThreadAdvisor {
    private let maximum: Int
    private var last: (busy: Double, own: Double, wall: Double)?
    private(set) var current: Int
    /// Shortest interval the load is measured over, in seconds.
    static let window = 0.2

    /// `requested` > 0 pins the count (no advice); 0 lets the advisor choose up to the
    /// engine's default.
    init(requested: Int) {
        if requested > 0 {
            EngineThreads.set(requested)
            maximum = 0
        } else {
            maximum = EngineThreads.current
        }
        current = EngineThreads.current
        last = Self.sample()
    }

    /// Re-decides the thread count from the load since the previous call.
    func adjust() {
        guard maximum > 1, let now = Self.sample() else { return }
        // /proc/stat counts in clock ticks (10 ms per CPU): over a shorter window the estimate
        // is mostly rounding. A call that comes too soon keeps the old starting point, so
        // one-line batches (streaming) still get a decision every window.
        guard let last else { self.last = now; return }
        guard now.wall - last.wall >= Self.window else { return }
        self.last = now
        let others = max(0, (now.busy - last.busy) - (now.own - last.own)) / (now.wall - last.wall)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let free = Int((Double(cores) - others + 0.3).rounded(.down))
        let wanted = min(maximum, max(1, free))
        if wanted != current {
            EngineThreads.set(wanted)
            current = wanted
        }
    }

    /// (CPU-seconds busy on the whole machine, CPU-seconds of this process, wall seconds).
    private static func sample() -> (busy: Double, own: Double, wall: Double)? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard v.count >= 5 else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        // user nice system idle iowait irq softirq steal; guest time is already inside user/nice.
        let busy = (v.prefix(8).reduce(0, +) - v[3] - v[4]) / ticks
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let own = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (busy, own, Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
    }
}
