/// Nearest-rank percentiles of a length distribution.
package struct LengthSummary: Sendable, Equatable {
    package var min = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0
    package var mean = 0.0

    /// Summarizes `values` (sorted in place).
    init(_ values: inout [Int32]) {
        guard !values.isEmpty else { return }
        values.sort()
        let n = values.count
        func rank(_ p: Double) -> Int {
            // Nearest rank: the smallest value with at least p% of the data at or below it.
            let r = Int((p / 100 * Double(n)).rounded(.up))
            return Int(values[Swift.max(0, Swift.min(n, r) - 1)])
        }
        min = Int(values[0])
        max = Int(values[n - 1])
        p50 = rank(50); p90 = rank(90); p95 = rank(95); p99 = rank(99)
        mean = Double(values.reduce(0) { $0 + Int($1) }) / Double(n)
    }

    package init() {}
}

/// Length and repetition figures for one side (source or target) of a corpus.
package struct SideStats: Sendable, Equatable {
    /// Whitespace-separated words per sentence.
    package var words = LengthSummary()
    /// Unicode scalars per sentence.
    package var chars = LengthSummary()
    /// Distinct sentences on this side.
    package var distinct = 0
    /// Pairs whose sentence on this side also occurs in another pair (one-to-many translations).
    package var pairsSharingSentence = 0
}

/// One row of the import log.
package struct ImportRecord: Sendable, Equatable {
    package var origin: String
    package var split: Split
    package var at: String
    package var report: ImportReport
}

/// What `s2s corpus stats` shows.
package struct CorpusStats: Sendable {
    package var info: CorpusInfo
    /// The split the length and repetition figures cover (nil = the whole corpus).
    package var split: Split?
    package var pairs = 0
    package var source = SideStats()
    package var target = SideStats()
    /// Pairs whose source and target are the same text (often untranslated).
    package var identicalSides = 0
    package var imports: [ImportRecord] = []
    /// Cached encodings per encoder cache key.
    package var encodings: [(cacheKey: String, pairs: Int)] = []

    /// Exact duplicates skipped over all imports.
    package var duplicatesSkipped: Int { imports.reduce(0) { $0 + $1.report.duplicates } }
}

extension CorpusStore {
    /// Scans the corpus once (streaming; memory grows with its size only by a few integers per
    /// pair) and summarizes lengths and repetitions, optionally for one split.
    package func stats(corpus name: String, split: Split? = nil) throws(CorpusError) -> CorpusStats {
        let info = try corpus(named: name)
        var stats = CorpusStats(info: info, split: split)
        let select = try db.prepare("SELECT source, target FROM pairs WHERE corpus_id = ?"
            + (split == nil ? "" : " AND split = ?") + " ORDER BY id")
        try select.bind(1, info.id)
        if let split { try select.bind(2, split.rawValue) }
        var words: ([Int32], [Int32]) = ([], [])
        var chars: ([Int32], [Int32]) = ([], [])
        var sourceCounts: [UInt64: Int32] = [:]
        var targetCounts: [UInt64: Int32] = [:]
        while try select.step() {
            let s = select.bytes(0).assumingMemoryBound(to: UInt8.self)
            let t = select.bytes(1).assumingMemoryBound(to: UInt8.self)
            stats.pairs += 1
            words.0.append(Int32(TextBytes.wordCount(s)))
            words.1.append(Int32(TextBytes.wordCount(t)))
            chars.0.append(Int32(TextBytes.scalarCount(s)))
            chars.1.append(Int32(TextBytes.scalarCount(t)))
            sourceCounts[TextBytes.fnv1a(s), default: 0] += 1
            targetCounts[TextBytes.fnv1a(t), default: 0] += 1
            if s.count == t.count && s.elementsEqual(t) { stats.identicalSides += 1 }
        }
        stats.source.words = LengthSummary(&words.0)
        stats.target.words = LengthSummary(&words.1)
        stats.source.chars = LengthSummary(&chars.0)
        stats.target.chars = LengthSummary(&chars.1)
        stats.source.distinct = sourceCounts.count
        stats.target.distinct = targetCounts.count
        stats.source.pairsSharingSentence = sourceCounts.values.reduce(0) { $0 + ($1 > 1 ? Int($1) : 0) }
        stats.target.pairsSharingSentence = targetCounts.values.reduce(0) { $0 + ($1 > 1 ? Int($1) : 0) }

        let imports = try db.prepare("""
            SELECT origin, split, at, read, imported, duplicates, empty, too_long, bad_ratio, bad_lines
            FROM imports WHERE corpus_id = ? ORDER BY id
            """)
        try imports.bind(1, info.id)
        while try imports.step() {
            var report = ImportReport()
            report.read = imports.int(3)
            report.imported = imports.int(4)
            report.duplicates = imports.int(5)
            report.empty = imports.int(6)
            report.tooLong = imports.int(7)
            report.badRatio = imports.int(8)
            report.badLines = imports.int(9)
            stats.imports.append(ImportRecord(origin: imports.text(0), split: Split(rawValue: imports.text(1)) ?? .train,
                                              at: imports.text(2), report: report))
        }

        let encodings = try db.prepare("""
            SELECT c.cache_key, count(*) FROM encodings e JOIN encoders c ON c.id = e.encoder_id
            JOIN pairs p ON p.id = e.pair_id WHERE p.corpus_id = ? GROUP BY c.id ORDER BY c.cache_key
            """)
        try encodings.bind(1, info.id)
        while try encodings.step() { stats.encodings.append((encodings.text(0), encodings.int(1))) }
        return stats
    }
}
