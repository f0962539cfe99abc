#if canImport(Glibc)
import Glibc
#endif

/// A plain mutex for caches whose contents are raw pointers (which `Synchronization.Mutex`
/// refuses to hand out across its region without `sending`).
final class Lock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    @inline(__always)
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
