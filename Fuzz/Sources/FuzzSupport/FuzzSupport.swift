import Foundation
import S2SBundle
import S2SModel
import S2SText

/// What every harness shares: a scratch directory (tmpfs when there is one), file writing, the
/// repository root, and the tiny real vocabulary and model the loaders are fuzzed against.
package enum FuzzSupport {
    /// The repository root, from this file's place in it (Fuzz/Sources/FuzzSupport/).
    package static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A directory of this process's own under /dev/shm (or TMPDIR): harnesses write their input
    /// there when the code under test reads files.
    package static let scratch: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm"
            : (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        let path = "\(base)/s2s-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: FuzzSupport.scratch) }
        return path
    }()

    /// Writes `bytes` to `path`, replacing it; a harness bug (not a finding) when it fails.
    package static func write(_ bytes: UnsafeBufferPointer<UInt8>, to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(buffer: bytes)) else {
            fatalError("fuzz harness: cannot write \(path)")
        }
    }

    package static func write(_ bytes: [UInt8], to path: String) {
        bytes.withUnsafeBufferPointer { write($0, to: path) }
    }

    /// A violated property: crashes so that libFuzzer saves the input.
    package static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz property violated: \(message())") }
    }

    /// The input as a buffer (libFuzzer hands a pointer that may be null for empty input).
    package static func buffer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: size == 0 ? nil : data, count: size)
    }

    /// A small real vocabulary directory (`s2s vocab build` layout) built from the first lines of
    /// the bundled Multi30k, once per process.
    package static let vocabularyDirectory: String = {
        let corpus = "\(repositoryRoot)/corpora/multi30k"
        func lines(_ name: String) -> [String] {
            guard let text = try? String(contentsOfFile: "\(corpus)/\(name)", encoding: .utf8) else {
                fatalError("fuzz harness: cannot read \(corpus)/\(name)")
            }
            return text.split(separator: "\n").prefix(40).map(String.init)
        }
        let directory = "\(scratch)/vocab"
        do {
            let options = VocabularyBuildOptions(source: TokenizerSettings(language: "en"),
                                                 target: TokenizerSettings(language: "de"), merges: 60, joint: true)
            let builder = try VocabularyBuilder(options: options)
            try builder.add(pairs: Array(zip(lines("train.en"), lines("train.de"))))
            try builder.finish().write(to: directory)
        } catch {
            fatalError("fuzz harness: cannot build the vocabulary: \(error)")
        }
        return directory
    }()

    /// A tiny randomly initialized model saved with that vocabulary (`ModelBundle.save`), once
    /// per process; returns the bundle directory.
    package static let modelDirectory: String = {
        do {
            let pipelines = try TextPipelinePair(directory: vocabularyDirectory)
            let config = ModelConfig(sourceVocabulary: pipelines.source.vocabulary.count,
                                     targetVocabulary: pipelines.target.vocabulary.count,
                                     embedding: 4, hidden: 3, decoderHidden: 3, attentionSize: 2, layers: 1)
            let model = try Seq2SeqModel(config: config, seed: 1)
            let directory = "\(scratch)/model"
            try ModelBundle.save(model: model, pipelines: pipelines, directory: directory, storage: .f16)
            return directory
        } catch {
            fatalError("fuzz harness: cannot make the model: \(error)")
        }
    }()

    /// When S2S_FUZZ_WRITE_SEEDS=DIR is set, a harness's `LLVMFuzzerInitialize` writes its
    /// generated seed files there (how the committed seed corpora were made).
    package static func writeSeeds(_ seeds: @autoclosure () -> [String: [UInt8]]) {
        guard let directory = ProcessInfo.processInfo.environment["S2S_FUZZ_WRITE_SEEDS"] else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in seeds() { write(bytes, to: "\(directory)/\(name)") }
    }
}

/// libFuzzer's entry for programs that keep their own `main` (SwiftPM links an executable
/// target's entry point as `<Module>_main`, so libFuzzer's `main` is never pulled in).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                 _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

extension FuzzSupport {
    /// Runs libFuzzer with the process's arguments (`-max_total_time=…`, corpus directories).
    package static func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                            _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
}
