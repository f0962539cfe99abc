import Synchronization
import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Thread count of the matrix engine and the kernels. oneDNN runs on OpenMP, and the kernels
/// split large row loops over the same OpenMP pool: one pool only, so the two cores are never
/// oversubscribed by two thread pools.
public enum EngineThreads {
    /// Sets the number of threads used by GEMMs and kernels.
    public static func set(_ n: Int) {
        precondition(n >= 1, "EngineThreads.set: thread count must be at least 1, got \(n)")
        s2s_set_num_threads(Int32(n))
        explicitlySet.withLock { $0 = true }
    }

    public static var current: Int { Int(s2s_get_max_threads()) }

    /// The default: `OMP_NUM_THREADS` when set, else 2 (capped at the available cores).
    public static var defaultCount: Int {
        if let s = getenv("OMP_NUM_THREADS"), let n = Int(String(cString: s)), n >= 1 { return n }
        return max(1, min(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    /// Applies `defaultCount` once, unless `set` was called first.
    static func applyDefault() {
        explicitlySet.withLock { done in
            if !done {
                s2s_set_num_threads(Int32(defaultCount))
                done = true
            }
        }
    }

    private static let explicitlySet = Mutex(false)
}
