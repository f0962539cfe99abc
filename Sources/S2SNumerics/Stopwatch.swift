#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock timing for benchmarks (never used inside unit tests).
package enum Stopwatch {
    /// Monotonic seconds.
    @inline(__always)
    package static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + 1e-9 * Double(ts.tv_nsec)
    }

    /// Seconds per call of each body, median over `runs` rounds. Bodies are interleaved round by
    /// round so a burst of load from another process hits them alike. Each round repeats a body
    /// until it has run for at least `minSeconds`, so tiny calls are not lost in clock noise.
    package static func medianSecondsPerCall(runs: Int, warmup: Int = 2, minSeconds: Double = 0.002,
                                            _ bodies: [() -> Void]) -> [Double] {
        var repeats = [Int](repeating: 1, count: bodies.count)
        for (i, body) in bodies.enumerated() {
            for _ in 0..<max(warmup, 1) { body() }
            let t0 = now()
            body()
            let once = max(now() - t0, 1e-7)
            repeats[i] = max(1, Int((minSeconds / once).rounded(.up)))
        }
        var samples = [[Double]](repeating: [], count: bodies.count)
        for _ in 0..<max(runs, 1) {
            for (i, body) in bodies.enumerated() {
                let t0 = now()
                for _ in 0..<repeats[i] { body() }
                samples[i].append((now() - t0) / Double(repeats[i]))
            }
        }
        return samples.map(median)
    }

    package static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        if s.isEmpty { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
