#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The temporary files a killed writer leaves beside a model (`.latest.safetensors.tmp-PID-N`,
/// `.model.safetensors.tmp-PID-N`): a kill -9 during a checkpoint write leaves one, as large as
/// the checkpoint. The trainer removes those of processes that no longer run before it writes
/// the next checkpoint, so repeated interruptions do not fill the disk.
enum StaleTemporaries {
    static func remove(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".safetensors.tmp-") {
            guard let pid = pid(in: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink("\(directory)/\(name)")
        }
    }

    /// The PID in `.NAME.safetensors.tmp-PID-RANDOM`.
    static func pid(in name: String) -> pid_t? {
        guard let range = name.range(of: ".safetensors.tmp-") else { return nil }
        let digits = name[range.upperBound...].prefix { $0.isNumber }
        return pid_t(digits)
    }
}
