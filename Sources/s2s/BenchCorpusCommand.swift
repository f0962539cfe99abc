import ArgumentParser
import S2SCorpus
import S2SNumerics
#if canImport(Glibc)
import Glibc
#endif

/// `s2s bench corpus`: import throughput on the real corpora, grouped-split and encoding-cache
/// times, and the memory of streaming a large synthetic corpus. Run from a release build.
struct BenchCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Corpus import pairs/s and streaming memory."
    )

    @Option(help: "Tatoeba/manythings TSV to import (skipped when not given).") var tatoeba: String?
    @Option(help: "Directory with Multi30k train.en and train.de (default: the bundled copy, run from the repository root).")
    var multi30k = "corpora/multi30k"
    @Option(help: "Repetitions of each import (median reported).") var runs = 5
    @Option(name: .customLong("stream-pairs"), help: "Pairs in the synthetic streaming corpus (0 to skip).") var streamPairs = 1_000_000
    @Option(help: "Directory for the scratch databases (default: $TMPDIR, else /tmp).") var scratch: String?
    @Option(help: "Python interpreter for the reference import (sqlite3 module, executemany); empty to skip.")
    var python = "python3"

    func run() throws {
        #if DEBUG
        CorpusOutput.error("warning: debug build; measure with `swift build -c release`")
        #endif
        let dir = try CorpusBenchScratch(in: scratch ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        print("bench corpus: \(runs) runs each, load average \(CorpusBenchScratch.loadAverage()) (before)")

        var imports: [(String, ImportSource, String, String)] = []
        if let tatoeba, access(tatoeba, R_OK) == 0 { imports.append(("tatoeba eng-fra (TSV)", .tsv(path: tatoeba), "en", "fr")) }
        else { CorpusOutput.error("skipping Tatoeba: " + (tatoeba.map { "\($0) not readable" } ?? "no --tatoeba given")) }
        let en = multi30k + "/train.en", de = multi30k + "/train.de"
        if access(en, R_OK) == 0 && access(de, R_OK) == 0 { imports.append(("multi30k en-de train (aligned)", .alignedFiles(source: en, target: de), "en", "de")) }
        else { CorpusOutput.error("skipping Multi30k: \(en) / \(de) not readable") }

        // Alternate the corpora within each run, a fresh database per run.
        var seconds = [[Double]](repeating: [], count: imports.count)
        var reference = [[Double]](repeating: [], count: imports.count)
        var read = [Int](repeating: 0, count: imports.count)
        var splitSeconds: [Double] = []
        for run in 0..<runs {
            let store = try CorpusStore(path: dir.path("import-\(run).sqlite"))
            for (i, (_, source, src, tgt)) in imports.enumerated() {
                let report = try store.importPairs(from: source, options: ImportOptions(corpus: "c\(i)", sourceLanguage: src, targetLanguage: tgt))
                seconds[i].append(report.seconds)
                read[i] = report.read
                if !python.isEmpty, let s = CorpusBenchReference.run(python: python, source: source, database: dir.path("reference-\(run)-\(i).sqlite")) {
                    reference[i].append(s)
                }
            }
            if !imports.isEmpty {
                let started = CorpusBenchScratch.now()
                try store.split(corpus: "c0", valid: 1000, test: 1000, seed: 1)
                splitSeconds.append(CorpusBenchScratch.now() - started)
            }
        }
        for (i, (name, _, _, _)) in imports.enumerated() {
            let m = median(seconds[i])
            print("import \(name): \(read[i]) pairs, median \(CorpusOutput.fixed(m, 3)) s = \(Int(Double(read[i]) / m)) pairs/s"
                + " (min \(CorpusOutput.fixed(seconds[i].min() ?? 0, 3)) s, max \(CorpusOutput.fixed(seconds[i].max() ?? 0, 3)) s)")
            if reference[i].count == runs {
                let r = median(reference[i])
                print("  reference, Python sqlite3 executemany in one transaction: median \(CorpusOutput.fixed(r, 3)) s = \(Int(Double(read[i]) / r)) pairs/s;"
                    + " s2s is \(CorpusOutput.fixed(r / m, 2))x faster")
            } else if !python.isEmpty {
                CorpusOutput.error("reference import with \(python) did not run (\(reference[i].count) of \(runs) runs)")
            }
        }
        if !splitSeconds.isEmpty {
            print("grouped split of \(imports[0].0) (1000 valid + 1000 test): median \(CorpusOutput.fixed(median(splitSeconds), 3)) s")
            try benchEncodingCache(dir: dir, store: try CorpusStore(path: dir.path("import-0.sqlite")), corpus: "c0")
        }
        if streamPairs > 0 { try benchStreaming(dir: dir) }
        print("load average \(CorpusBenchScratch.loadAverage()) (after)")
    }

    /// First run encodes and caches every pair; a second batcher reads the cached ids.
    func benchEncodingCache(dir: CorpusBenchScratch, store: CorpusStore, corpus: String) throws {
        let encoder = CorpusBenchEncoder()
        var started = CorpusBenchScratch.now()
        let first = try Batcher(store: store, corpus: corpus, split: .train, encoder: encoder,
                                config: BatcherConfig(tokensPerBatch: 4096, seed: 1))
        let encodeSeconds = CorpusBenchScratch.now() - started
        started = CorpusBenchScratch.now()
        let second = try Batcher(store: store, corpus: corpus, split: .train, encoder: encoder,
                                 config: BatcherConfig(tokensPerBatch: 4096, seed: 1))
        let cachedSeconds = CorpusBenchScratch.now() - started
        started = CorpusBenchScratch.now()
        var tokens = 0
        for _ in 0..<second.batchesInEpoch { tokens += try second.next().targetTokens }
        let epochSeconds = CorpusBenchScratch.now() - started
        print("batcher over \(first.pairCount) pairs: encode+cache \(CorpusOutput.fixed(encodeSeconds, 2)) s"
            + " (\(Int(Double(first.encoding.encoded) / encodeSeconds)) pairs/s, whitespace encoder), from cache \(CorpusOutput.fixed(cachedSeconds, 2)) s,"
            + " one epoch of \(second.batchesInEpoch) batches read in \(CorpusOutput.fixed(epochSeconds, 2)) s (\(Int(Double(tokens) / epochSeconds)) target tokens/s)")
    }

    /// Imports a synthetic corpus, then streams it and reports how resident memory moves.
    func benchStreaming(dir: CorpusBenchScratch) throws {
        let tsv = dir.path("synthetic.tsv")
        try CorpusBenchScratch.writeSynthetic(pairs: streamPairs, to: tsv)
        let store = try CorpusStore(path: dir.path("stream.sqlite"))
        let report = try store.importPairs(from: .tsv(path: tsv), options: ImportOptions(corpus: "syn", sourceLanguage: "en", targetLanguage: "de"))
        unlink(tsv)
        print("import synthetic: \(report.read) pairs in \(CorpusOutput.fixed(report.seconds, 2)) s = \(Int(report.pairsPerSecond)) pairs/s")

        // Hand the import's freed memory back to the system first, so "before" is the baseline.
        _ = corpusBenchMallocTrim(0)
        let peakReset = CorpusBenchScratch.resetPeakRSS()
        let before = CorpusBenchScratch.memory()
        var samples: [String] = []
        var count = 0, bytes = 0
        let started = CorpusBenchScratch.now()
        let cursor = try store.pairs(corpus: "syn", split: .train)
        while let pair = try cursor.next() {
            count += 1
            bytes += pair.source.utf8.count + pair.target.utf8.count
            if count % (streamPairs / 4) == 0 { samples.append("\(count / 1000)k: \(CorpusBenchScratch.memory().rss / 1024) MiB") }
        }
        let seconds = CorpusBenchScratch.now() - started
        let after = CorpusBenchScratch.memory()
        print("stream \(count) pairs (\(bytes / 1_000_000) MB of text) in \(CorpusOutput.fixed(seconds, 2)) s = \(Int(Double(count) / seconds)) pairs/s")
        print("  RSS before \(before.rss / 1024) MiB, during " + samples.joined(separator: ", ") + ", after \(after.rss / 1024) MiB")
        print("  peak RSS (VmHWM) while streaming \(after.peak / 1024) MiB"
            + (peakReset ? " (peak reset before streaming)" : " (peak could not be reset: includes the import)")
            + "; growth over the stream \((after.peak - before.rss) / 1024) MiB")
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// A stand-in encoder for the benchmark: whitespace words hashed into 32k ids.
struct CorpusBenchEncoder: PairEncoder {
    let cacheKey = "bench-hash-words-32k"

    func ids(_ s: String) -> [Int32] {
        s.split(separator: " ").map { word in
            var h: UInt32 = 2_166_136_261
            for b in word.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
            return Int32(h % 32_000) + 4
        }
    }

    func encode(source: String, target: String) throws -> (source: [Int32], target: [Int32]) { (ids(source), ids(target)) }
}

/// A scratch directory for benchmark databases (removed at exit), and process measurements.
final class CorpusBenchScratch {
    let root: String

    init(in parent: String) throws {
        var template = Array("\(parent)/s2s-bench-corpus-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ValidationError("cannot create a scratch directory in \(parent)")
        }
        root = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if let dir = opendir(root) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(root)/\(name)") }
            }
            closedir(dir)
        }
        rmdir(root)
    }

    func path(_ name: String) -> String { "\(root)/\(name)" }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func loadAverage() -> String {
        guard let text = readFile("/proc/loadavg") else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// VmRSS and VmHWM in KiB.
    static func memory() -> (rss: Int, peak: Int) {
        guard let text = readFile("/proc/self/status") else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }

    /// Resets VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs).
    static func resetPeakRSS() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `pairs` distinct lines `source<TAB>target`, 3-40 words a side from a 5000-word vocabulary.
    static func writeSynthetic(pairs: Int, to path: String) throws {
        guard let file = fopen(path, "w") else { throw ValidationError("cannot write \(path)") }
        defer { fclose(file) }
        var rng = PCG32(seed: 2024)
        var line: [UInt8] = []
        line.reserveCapacity(1024)
        for i in 0..<pairs {
            line.removeAll(keepingCapacity: true)
            line += "s\(i)".utf8 // keeps every pair distinct
            for _ in 0..<(3 + Int(rng.nextUInt32() % 38)) { line += " w\(rng.nextUInt32() % 5000)".utf8 }
            line.append(0x09)
            line += "t\(i)".utf8
            for _ in 0..<(3 + Int(rng.nextUInt32() % 38)) { line += " v\(rng.nextUInt32() % 5000)".utf8 }
            line.append(0x0A)
            guard fwrite(line, 1, line.count, file) == line.count else { throw ValidationError("cannot write \(path)") }
        }
    }
}

/// The same import done the way a Python toolkit would: the `sqlite3` module, a set for exact
/// duplicates, one `executemany` in one transaction, into a table and index of the same shape.
/// Timed inside Python from connecting to commit, like `ImportReport.seconds`.
enum CorpusBenchReference {
    static let script = """
    import sqlite3, sys, time
    mode, a, b, db = sys.argv[1:5]
    t0 = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA page_size=16384"); con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE pairs (id INTEGER PRIMARY KEY, corpus_id INTEGER NOT NULL, split TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, hash INTEGER NOT NULL)")
    con.execute("CREATE INDEX pairs_by_split ON pairs(corpus_id, split)")
    con.execute("BEGIN IMMEDIATE")
    def pairs():
        if mode == "tsv":
            with open(a, encoding="utf-8", newline="\\n") as f:
                for line in f:
                    cols = line.rstrip("\\n").split("\\t")
                    yield cols[0], cols[1]
        else:
            with open(a, encoding="utf-8", newline="\\n") as f, open(b, encoding="utf-8", newline="\\n") as g:
                for s, t in zip(f, g):
                    yield s.rstrip("\\n"), t.rstrip("\\n")
    seen = set()
    rows = []
    for s, t in pairs():
        if not s.strip() or not t.strip() or (s, t) in seen:
            continue
        seen.add((s, t))
        rows.append((1, "train", s, t, hash((s, t))))
    con.executemany("INSERT INTO pairs (corpus_id, split, source, target, hash) VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("COMMIT")
    print(time.perf_counter() - t0)
    """

    /// Seconds the reference took, or nil if Python could not run it.
    static func run(python: String, source: ImportSource, database: String) -> Double? {
        let arguments: [String] = switch source {
        case let .tsv(path): ["tsv", path, "", database]
        case let .alignedFiles(s, t): ["aligned", s, t, database]
        }
        let output = database + ".out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = [python, "-c", script] + arguments
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, python, &actions, nil, &cArgs, environ) == 0 else { return nil }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        defer { unlink(output) }
        guard status == 0, let text = CorpusBenchScratch.readFile(output) else { return nil }
        return Double(text.corpusBenchTrimmed())
    }
}

private extension String {
    /// Without leading and trailing spaces and newlines.
    func corpusBenchTrimmed() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\n" { s.removeLast() }
        return String(s)
    }
}

/// glibc's `malloc_trim` (malloc.h is not in the Glibc module): returns freed heap to the system.
@_silgen_name("malloc_trim")
private func corpusBenchMallocTrim(_ pad: Int) -> Int32
