#if canImport(Glibc)
import Glibc
import S2SText
#endif

/// Where an import reads its pairs from.
package enum ImportSource: Sendable, Equatable {
    /// Two sentence-aligned files, line i of one translating line i of the other.
    case alignedFiles(source: String, target: String)
    /// Tab-separated lines, source in column 1 and target in column 2 (Tatoeba/manythings
    /// style; further columns such as attribution are ignored). Path "-" reads stdin.
    case tsv(path: String)

    var origin: String {
        switch self {
        case let .alignedFiles(source, target): "\(FileIO.absolute(source)) + \(FileIO.absolute(target))"
        case let .tsv(path): path == "-" ? "<stdin>" : FileIO.absolute(path)
        }
    }
}

/// What to import into and which pairs to keep.
package struct ImportOptions: Sendable {
    package var corpus: String
    /// Required for a new corpus; when appending, must match the corpus if given.
    package var sourceLanguage: String?
    package var targetLanguage: String?
    /// The split every imported pair goes to.
    package var split: Split
    /// Add to an existing corpus (otherwise an existing name is an error).
    package var append: Bool
    /// Free-text provenance note for a new corpus (defaults to the input paths).
    package var origin: String?
    /// Free-text license note for a new corpus.
    package var license: String
    /// Drop pairs with a side longer than this (in `lengthUnit`).
    package var maxLength: Int?
    /// Drop pairs whose longer side is more than this many times the shorter.
    package var maxRatio: Double?
    package var lengthUnit: LengthUnit
    /// Skip and count TSV lines without a tab instead of failing.
    package var skipBad: Bool
    /// Keep exact duplicates (of each other or of pairs already in the corpus), e.g. to import
    /// an official test set line for line so exports stay aligned with its references.
    package var keepDuplicates: Bool

    package init(corpus: String, sourceLanguage: String? = nil, targetLanguage: String? = nil,
                split: Split = .train, append: Bool = false, origin: String? = nil, license: String = "",
                maxLength: Int? = nil, maxRatio: Double? = nil, lengthUnit: LengthUnit = .words,
                skipBad: Bool = false, keepDuplicates: Bool = false) {
        self.corpus = corpus
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.split = split
        self.append = append
        self.origin = origin
        self.license = license
        self.maxLength = maxLength
        self.maxRatio = maxRatio
        self.lengthUnit = lengthUnit
        self.skipBad = skipBad
        self.keepDuplicates = keepDuplicates
    }
}

/// What an import did. `read` = imported + duplicates + empty + tooLong + badRatio + badLines.
package struct ImportReport: Sendable, Equatable {
    /// Pairs (lines) read from the input.
    package var read = 0
    package var imported = 0
    /// Exact duplicates of a pair already in the corpus (or earlier in the same input).
    package var duplicates = 0
    /// Pairs with an empty (or whitespace-only) side.
    package var empty = 0
    /// Dropped by `maxLength`.
    package var tooLong = 0
    /// Dropped by `maxRatio`.
    package var badRatio = 0
    /// TSV lines without a tab, skipped under `skipBad`.
    package var badLines = 0
    /// Wall time of the whole import including the commit.
    package var seconds = 0.0

    package init() {}

    package var pairsPerSecond: Double { seconds > 0 ? Double(read) / seconds : 0 }
}

extension CorpusStore {
    /// Imports pairs in ONE transaction: either every kept pair is in the corpus afterwards, or
    /// (on any error, bad line, or `isCancelled()` turning true) nothing changed at all.
    ///
    /// Texts are stored byte-for-byte as read (only the line terminator, a CR before it and a
    /// leading BOM are not text). Invalid UTF-8 fails with file and line.
    @discardableResult
    package func importPairs(from source: ImportSource, options: ImportOptions,
                            isCancelled: @escaping () -> Bool = { Interrupt.requested }) throws(CorpusError) -> ImportReport {
        try CorpusStore.validate(name: options.corpus)
        if let code = options.sourceLanguage { try CorpusStore.validate(language: code) }
        if let code = options.targetLanguage { try CorpusStore.validate(language: code) }
        if let maxLength = options.maxLength, maxLength < 1 { throw .invalidArgument("--max-len must be at least 1") }
        if let maxRatio = options.maxRatio, !(maxRatio >= 1) { throw .invalidArgument("--max-ratio must be at least 1") }

        // Open the inputs first: a missing file fails before the database is locked.
        let readers: [ByteLineReader]
        switch source {
        case let .alignedFiles(sourcePath, targetPath):
            readers = [try ByteLineReader(corpusInput: sourcePath, isCancelled: isCancelled),
                       try ByteLineReader(corpusInput: targetPath, isCancelled: isCancelled)]
        case let .tsv(path):
            readers = [try ByteLineReader(corpusInput: path, isCancelled: isCancelled)]
        }

        let clock = ContinuousClock()
        let started = clock.now
        // A bigger page cache while the index grows; back to the default afterwards so readers
        // sharing the process stay small.
        try db.execute("PRAGMA cache_size = -65536")
        defer { try? db.execute("PRAGMA cache_size = -2000") }
        var report = try db.transaction(immediate: true) { () throws(CorpusError) -> ImportReport in
            let (corpusID, languages) = try prepareCorpus(options, origin: options.origin ?? source.origin)
            let lengths = try PairLength(unit: options.lengthUnit, sourceLanguage: languages.source, targetLanguage: languages.target)
            let sink = try PairSink(db: db, corpusID: corpusID, options: options, lengths: lengths)
            if readers.count == 2 {
                try Self.readAligned(readers[0], readers[1], into: sink, isCancelled: isCancelled)
            } else {
                try Self.readTSV(readers[0], into: sink, skipBad: options.skipBad, isCancelled: isCancelled)
            }
            try recordImport(corpusID: corpusID, origin: source.origin, split: options.split, report: sink.report)
            return sink.report
        }
        report.seconds = Double((clock.now - started) / .microseconds(1)) / 1e6
        return report
    }

    /// Finds (append) or creates the corpus row; returns its id and languages.
    private func prepareCorpus(_ options: ImportOptions, origin: String) throws(CorpusError)
        -> (Int64, languages: (source: String, target: String)) {
        let find = try db.prepare("SELECT id, source_lang, target_lang FROM corpora WHERE name = ?")
        try find.bind(1, options.corpus)
        if try find.step() {
            guard options.append else { throw .corpusExists(name: options.corpus) }
            let existing = "\(find.text(1))-\(find.text(2))"
            let given = "\(options.sourceLanguage ?? find.text(1))-\(options.targetLanguage ?? find.text(2))"
            guard existing == given else { throw .languageMismatch(name: options.corpus, existing: existing, given: given) }
            return (find.int64(0), (find.text(1), find.text(2)))
        }
        guard let sourceLanguage = options.sourceLanguage, let targetLanguage = options.targetLanguage else {
            throw .missingLanguages(name: options.corpus)
        }
        let insert = try db.prepare("""
            INSERT INTO corpora (name, source_lang, target_lang, origin, license, created) VALUES (?, ?, ?, ?, ?, ?)
            """)
        try insert.bind(1, options.corpus)
        try insert.bind(2, sourceLanguage)
        try insert.bind(3, targetLanguage)
        try insert.bind(4, origin)
        try insert.bind(5, options.license)
        try insert.bind(6, CorpusStore.timestamp())
        try insert.step()
        return (db.lastInsertRowID, (sourceLanguage, targetLanguage))
    }

    private func recordImport(corpusID: Int64, origin: String, split: Split, report: ImportReport) throws(CorpusError) {
        let stmt = try db.prepare("""
            INSERT INTO imports (corpus_id, origin, split, at, read, imported, duplicates, empty, too_long, bad_ratio, bad_lines)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try stmt.bind(1, corpusID)
        try stmt.bind(2, origin)
        try stmt.bind(3, split.rawValue)
        try stmt.bind(4, CorpusStore.timestamp())
        for (i, value) in [report.read, report.imported, report.duplicates, report.empty,
                           report.tooLong, report.badRatio, report.badLines].enumerated() {
            try stmt.bind(Int32(5 + i), value)
        }
        try stmt.step()
    }

    /// Reads two aligned files in lockstep. When one ends first, the other is read to its end
    /// so the error can state both line counts.
    private static func readAligned(_ source: ByteLineReader, _ target: ByteLineReader, into sink: PairSink,
                                    isCancelled: () -> Bool) throws(CorpusError) {
        while true {
            let s = try source.nextLine()
            let t = try target.nextLine()
            guard let s, let t else {
                if s == nil && t == nil { return }
                let sourceLines = source.lineNumber + (s == nil ? 0 : try source.linesRemaining())
                let targetLines = target.lineNumber + (t == nil ? 0 : try target.linesRemaining())
                throw .lineCountMismatch(source: source.name, sourceLines: sourceLines, target: target.name,
                                         targetLines: targetLines, ranOut: s == nil ? source.name : target.name)
            }
            guard TextBytes.isValidUTF8(s) else { throw .invalidUTF8(file: source.name, line: source.lineNumber) }
            guard TextBytes.isValidUTF8(t) else { throw .invalidUTF8(file: target.name, line: target.lineNumber) }
            if source.lineNumber & 1023 == 0, isCancelled() { throw .interrupted }
            try sink.add(source: s, target: t)
        }
    }

    /// Reads `source<TAB>target[<TAB>ignored…]` lines.
    private static func readTSV(_ reader: ByteLineReader, into sink: PairSink, skipBad: Bool,
                                isCancelled: () -> Bool) throws(CorpusError) {
        while let line = try reader.nextLine() {
            guard TextBytes.isValidUTF8(line) else { throw .invalidUTF8(file: reader.name, line: reader.lineNumber) }
            if reader.lineNumber & 1023 == 0, isCancelled() { throw .interrupted }
            guard let base = line.baseAddress, let tab = memchr(base, 0x09, line.count) else {
                guard skipBad else { throw .missingTab(file: reader.name, line: reader.lineNumber) }
                sink.report.read += 1
                sink.report.badLines += 1
                continue
            }
            let split = UnsafePointer(tab.assumingMemoryBound(to: UInt8.self)) - base
            let rest = UnsafeBufferPointer(rebasing: line[(split + 1)...])
            var targetCount = rest.count
            if let restBase = rest.baseAddress, let next = memchr(restBase, 0x09, rest.count) {
                targetCount = UnsafePointer(next.assumingMemoryBound(to: UInt8.self)) - restBase
            }
            try sink.add(source: UnsafeBufferPointer(rebasing: line[..<split]),
                         target: UnsafeBufferPointer(start: rest.baseAddress, count: targetCount))
        }
    }
}

/// Filters, de-duplicates and inserts pairs for one import, counting what happens to each.
///
/// Duplicates are found with an in-memory map from content hash to pair id (seeded with the
/// corpus's existing pairs when appending). A hash hit is confirmed by comparing the stored texts,
/// so a 64-bit collision can never drop a distinct pair.
final class PairSink {
    var report = ImportReport()
    private let db: Connection
    private let options: ImportOptions
    private let lengths: PairLength
    private let insert: Statement
    private let fetch: Statement
    private var seen: [UInt64: Int64] = [:]
    /// Further pairs whose hash collided with a different pair (practically always empty).
    private var collided: [UInt64: [Int64]] = [:]

    init(db: Connection, corpusID: Int64, options: ImportOptions, lengths: PairLength) throws(CorpusError) {
        self.db = db
        self.options = options
        self.lengths = lengths
        insert = try db.prepare("INSERT INTO pairs (corpus_id, split, source, target, hash) VALUES (?, ?, ?, ?, ?)")
        try insert.bind(1, corpusID)
        try insert.bind(2, options.split.rawValue)
        fetch = try db.prepare("SELECT source, target FROM pairs WHERE id = ?")
        guard !options.keepDuplicates else { return }
        let existing = try db.prepare("SELECT hash, id FROM pairs WHERE corpus_id = ?")
        try existing.bind(1, corpusID)
        while try existing.step() {
            let hash = UInt64(bitPattern: existing.int64(0))
            if seen[hash] == nil { seen[hash] = existing.int64(1) } else { collided[hash, default: []].append(existing.int64(1)) }
        }
    }

    func add(source: UnsafeBufferPointer<UInt8>, target: UnsafeBufferPointer<UInt8>) throws(CorpusError) {
        report.read += 1
        if TextBytes.isBlank(source) || TextBytes.isBlank(target) {
            report.empty += 1
            return
        }
        if options.maxLength != nil || options.maxRatio != nil {
            let (a, b) = lengths.measure(source: source, target: target)
            if let maxLength = options.maxLength, max(a, b) > maxLength {
                report.tooLong += 1
                return
            }
            if let maxRatio = options.maxRatio, Double(max(a, b)) > maxRatio * Double(max(min(a, b), 1)) {
                report.badRatio += 1
                return
            }
        }
        let hash = TextBytes.pairHash(source, target)
        if !options.keepDuplicates, let first = seen[hash] {
            if try stored(first, equals: source, target) {
                report.duplicates += 1
                return
            }
            for other in collided[hash] ?? [] where try stored(other, equals: source, target) {
                report.duplicates += 1
                return
            }
        }
        try insert.bindTextNoCopy(3, source)
        try insert.bindTextNoCopy(4, target)
        try insert.bind(5, Int64(bitPattern: hash))
        try insert.step()
        insert.reset()
        report.imported += 1
        guard !options.keepDuplicates else { return }
        let id = db.lastInsertRowID
        if seen[hash] == nil { seen[hash] = id } else { collided[hash, default: []].append(id) }
    }

    /// Whether pair `id` holds exactly these texts.
    private func stored(_ id: Int64, equals source: UnsafeBufferPointer<UInt8>, _ target: UnsafeBufferPointer<UInt8>) throws(CorpusError) -> Bool {
        fetch.reset()
        try fetch.bind(1, id)
        guard try fetch.step() else { return false }
        defer { fetch.reset() }
        return Self.equal(fetch.bytes(0), source) && Self.equal(fetch.bytes(1), target)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }
}
