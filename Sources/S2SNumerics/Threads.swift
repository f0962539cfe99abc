import CDNNL
import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Thread count of the matrix engine. oneDNN runs on OpenMP; one engine only, so the two
/// cores are never oversubscribed by two thread pools.
public enum EngineThreads {
    /// Sets the number of threads used by GEMMs (default 2, or `OMP_NUM_THREADS`).
    public static func set(_ n: Int) {
        precondition(n >= 1, "EngineThreads.set: thread count must be at least 1, got \(n)")
        s2s_set_num_threads(Int32(n))
    }

    public static var current: Int { Int(s2s_get_max_threads()) }
}
