import CKernels

/// Thread count of the matrix engine and the kernels. oneDNN runs on OpenMP, and the kernels
/// split large row loops over the same OpenMP pool: one pool only, so the two cores are never
/// oversubscribed by two thread pools.
///
/// The count is process-wide (OpenMP's own setting is per calling thread; CKernels applies the
/// process-wide value on every entry). Default: `OMP_NUM_THREADS` when set, else 2 (at most
/// the online cores).
package enum EngineThreads {
    /// Sets the number of threads used by GEMMs and kernels, for every calling thread.
    package static func set(_ n: Int) {
        precondition(n >= 1, "EngineThreads.set: thread count must be at least 1, got \(n)")
        s2s_set_num_threads(Int32(n))
    }

    /// The current process-wide count.
    package static var current: Int { Int(s2s_get_max_threads()) }
}
