import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// The process's memory as `/metrics` shows it: resident pages (what the kernel charges) and
/// the bytes malloc has handed out and not had back. When the first grows and the second does
/// not, the growth is the allocator's free memory kept in its arenas, not data we still hold.
enum ProcessMemory {
    /// Resident set size in bytes (`/proc/self/statm`, second field, in pages); 0 if unreadable.
    static var residentBytes: Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard withUnsafeMutablePointer(to: &size, { s in
            withUnsafeMutablePointer(to: &resident) { r in fscanfTwo(file, s, r) }
        }) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Bytes in use by malloc's callers: small blocks in the arenas plus mmapped large ones.
    static var heapInUseBytes: Int { s2s_heap_in_use() }

    /// Two integers read with fscanf (variadic C calls go through `withVaList`).
    private static func fscanfTwo(_ file: UnsafeMutablePointer<FILE>, _ a: UnsafeMutablePointer<Int>,
                                  _ b: UnsafeMutablePointer<Int>) -> Bool {
        withVaList([a, b]) { vfscanf(file, "%ld %ld", $0) } == 2
    }
}
