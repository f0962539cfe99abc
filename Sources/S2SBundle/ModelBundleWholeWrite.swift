#if canImport(Glibc)
import Glibc
#endif
import Foundation
import S2SText

/// Writing a model directory so that it appears whole or not at all: a new directory is built
/// as a hidden temporary sibling and renamed into place; into an existing one the model file is
/// written aside first and renamed over the old one only after the vocabulary copy is in place.
/// A full disk or a kill at any moment leaves the old state (no directory, or the old model with
/// its old vocabulary), never a vocabulary without its model.
extension ModelBundle {
    static func writeWhole(_ file: SafeTensorsFile, pipelines: TextPipelinePair, directory: String,
                           fileName: String) throws(ModelBundleError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .io(path: directory, reason: "exists and is not a directory") }
            try replaceModel(file, pipelines: pipelines, directory: directory, fileName: fileName)
            return
        }
        let url = URL(fileURLWithPath: directory)
        let parent = url.deletingLastPathComponent().path
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create the parent directory: \(error.localizedDescription)")
        }
        let temp = "\(parent)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(temp, 0o755) == 0 else {
            throw .io(path: directory, reason: "cannot create the model directory: \(String(cString: strerror(errno)))")
        }
        var renamed = false
        defer { if !renamed { try? fm.removeItem(atPath: temp) } }
        try writeVocabulary(pipelines, to: "\(temp)/\(vocabularyDirectoryName)")
        do {
            try file.write(to: "\(temp)/\(fileName)")
        } catch {
            throw .file(error)
        }
        syncDirectory(temp)
        guard rename(temp, directory) == 0 else {
            throw .io(path: directory, reason: "cannot move the new model directory into place: \(String(cString: strerror(errno)))")
        }
        renamed = true
        syncDirectory(parent)
    }

    /// An existing directory: model file aside, vocabulary copy, then the model renamed over.
    private static func replaceModel(_ file: SafeTensorsFile, pipelines: TextPipelinePair, directory: String,
                                     fileName: String) throws(ModelBundleError) {
        let pending = "\(directory)/.\(fileName).pending-\(getpid())"
        var renamed = false
        defer { if !renamed { unlink(pending) } }
        do {
            try file.write(to: pending)
        } catch {
            throw .file(error)
        }
        try writeVocabulary(pipelines, to: "\(directory)/\(vocabularyDirectoryName)")
        guard rename(pending, "\(directory)/\(fileName)") == 0 else {
            throw .io(path: "\(directory)/\(fileName)", reason: "cannot move the new model into place: \(String(cString: strerror(errno)))")
        }
        renamed = true
        syncDirectory(directory)
    }

    /// Makes renames inside `path` durable (best effort: some file systems refuse fsync on a directory).
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
