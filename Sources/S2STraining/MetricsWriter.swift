import Foundation
import S2SEval

/// Appends training and validation records to the metrics log (JSON lines next to the
/// checkpoint, the format `S2SEval.MetricsLogEntry` defines and `s2s plot` renders). Each line is
/// written whole and flushed, so a crash loses at most the line being written.
package final class MetricsWriter {
    package let path: String
    private let handle: FileHandle

    package init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    package func append(_ entry: MetricsLogEntry) throws {
        try handle.write(contentsOf: Data((entry.jsonLine + "\n").utf8))
    }
}
