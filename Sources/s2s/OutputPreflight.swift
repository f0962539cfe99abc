#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Checks, before minutes of work, that an output path can be written: its nearest existing
/// ancestor directory must take a new entry (a read-only mount, a missing permission or a full
/// inode table fail here, with the output path named, instead of after the work is done).
enum OutputPreflight {
    struct NotWritable: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): cannot write here: \(reason)" }
    }

    static func check(_ path: String) throws {
        var directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        // A probe entry, made and removed: access(2) would not see every reason a write fails.
        let probe = "\(directory.path)/.s2s-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(probe, 0o700) == 0 else {
            throw NotWritable(path: path, reason: String(cString: strerror(errno)))
        }
        rmdir(probe)
    }
}
