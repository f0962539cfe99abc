import Foundation
import Testing
@testable import S2SCorpus

/// A fresh directory under /tmp, removed when the value is released.
final class TempDir {
    let path: String

    init() {
        var template = Array("/tmp/s2s-corpus-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    /// A new store in this directory.
    func store(_ name: String = "corpora.sqlite") throws -> CorpusStore {
        try CorpusStore(path: file(name), mode: .create)
    }
}

enum Fixture {
    /// The bundled cuts of the shared corpora (see Fixtures/README.md).
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            fatalError("fixture \(name) missing from the test bundle")
        }
        return url.path
    }

    static func bytes(_ path: String) -> [UInt8] {
        (try? Array(Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }

    /// Lines of a file as byte arrays (LF-separated, no terminators).
    static func lines(_ path: String) -> [[UInt8]] {
        var lines = bytes(path).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Columns 1 and 2 of a TSV fixture.
    static func tsvColumns(_ path: String) -> (source: [[UInt8]], target: [[UInt8]]) {
        let rows = lines(path).map { $0.split(separator: 0x09, omittingEmptySubsequences: false).map(Array.init) }
        return (rows.map { $0[0] }, rows.map { $0[1] })
    }
}

/// The encoder the tests train on: whitespace words looked up in a dictionary built from the
/// data (unknown words → 1). Counts its calls, to show that cached ids are reused.
final class WordEncoder: PairEncoder {
    let cacheKey: String
    private let ids: [Substring: Int32]
    private(set) var calls = 0

    init(sentences: [String], salt: String = "") {
        var vocabulary = Set<Substring>()
        for sentence in sentences { vocabulary.formUnion(sentence.split(separator: " ")) }
        let sorted = vocabulary.sorted()
        ids = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0 + 2)) })
        // The key is a hash of the vocabulary, as the real tokenizer's will be.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for word in sorted { for b in word.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }; h = (h ^ 0x20) &* 0x100_0000_01B3 }
        cacheKey = "words-\(String(h, radix: 16))\(salt)"
    }

    func words(_ s: String) -> [Int32] { s.split(separator: " ").map { ids[$0] ?? 1 } }

    func encode(source: String, target: String) throws -> (source: [Int32], target: [Int32]) {
        calls += 1
        return (words(source), words(target))
    }
}

/// Every pair of a corpus (or split) as read back through the streaming cursor.
func allPairs(_ store: CorpusStore, _ corpus: String, _ split: Split? = nil) throws -> [SentencePair] {
    var pairs: [SentencePair] = []
    try store.forEachPair(corpus: corpus, split: split) { pairs.append($0) }
    return pairs
}

/// The `s2s` executable built next to the test bundle (swift test builds every product), or nil.
let s2sExecutable: String? = {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append((exe as NSString).deletingLastPathComponent + "/s2s")
    }
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
        candidates.append((bundle.bundlePath as NSString).deletingLastPathComponent + "/s2s")
    }
    candidates.append(FileManager.default.currentDirectoryPath + "/.build/debug/s2s")
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// A child `s2s` process with captured output.
final class Child {
    let process = Process()
    let stdinPipe = Pipe()
    let stdoutFile: String
    let stderrFile: String

    init(_ arguments: [String], in dir: TempDir, tag: String = UUID().uuidString) throws {
        guard let s2sExecutable else { throw CorpusError.invalidArgument("s2s executable not found") }
        process.executableURL = URL(fileURLWithPath: s2sExecutable)
        process.arguments = arguments
        stdoutFile = dir.file("\(tag).out")
        stderrFile = dir.file("\(tag).err")
        _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.standardInput = stdinPipe
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
        try process.run()
    }

    /// Writes all of `bytes` to the child's stdin (blocks while the pipe is full, i.e. until the
    /// child has read all but the last pipe buffer). False if the child closed its end.
    func feed(_ bytes: [UInt8]) -> Bool {
        let fd = stdinPipe.fileHandleForWriting.fileDescriptor
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return false }
            offset += n
        }
        return true
    }

    /// Whether the child has `path` open (from /proc/PID/fd).
    func hasOpen(_ path: String) -> Bool {
        let fdDir = "/proc/\(process.processIdentifier)/fd"
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: fdDir)) ?? []
        return fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDir)/\($0)")) == path }
    }

    func closeInput() { try? stdinPipe.fileHandleForWriting.close() }

    /// Waits up to `seconds` for the exit; kills the child and fails if it hangs.
    @discardableResult
    func wait(seconds: Double = 60) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("child s2s \(process.arguments ?? []) did not exit within \(seconds) s")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stdout: String { (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }
}

/// Generated TSV text: `count` distinct pairs, `offset` making different batches distinct.
func syntheticTSV(count: Int, offset: Int = 0) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count * 48)
    for i in offset..<(offset + count) {
        out.append(contentsOf: "source sentence number \(i) .\ttarget sentence \(i) here .\n".utf8)
    }
    return out
}
