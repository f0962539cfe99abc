import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Which part of a corpus a pair belongs to.
package enum Split: String, CaseIterable, Codable, Sendable, Comparable {
    case train, valid, test

    /// Train, valid, test: the order reports list them in.
    var order: Int {
        switch self {
        case .train: 0
        case .valid: 1
        case .test: 2
        }
    }

    package static func < (a: Split, b: Split) -> Bool { a.order < b.order }
}

/// How to open a store: `create` makes the file (and its directory) when missing; `existing`
/// requires it; `readOnly` never writes (the file must already be a current store).
package enum OpenMode: Sendable { case create, existing, readOnly }

/// One corpus: its metadata and how many pairs each split holds.
package struct CorpusInfo: Sendable, Equatable {
    package let id: Int64
    package let name: String
    package let sourceLanguage: String
    package let targetLanguage: String
    package let origin: String
    package let license: String
    package let created: String
    package let pairsPerSplit: [Split: Int]
    package var pairs: Int { pairsPerSplit.values.reduce(0, +) }
}

/// A parallel-corpus database: one SQLite file holding any number of named corpora.
///
/// The connection runs in WAL mode with foreign keys on and a busy timeout, so one process can
/// import while another reads or trains, and a second writer waits its turn instead of failing.
/// Not thread-safe: use one store per thread (or per process); SQLite handles the concurrency
/// between them.
package final class CorpusStore {
    /// Where the CLI keeps its corpora unless told otherwise.
    package static let defaultPath = "corpora/corpora.sqlite"
    /// The schema version this build writes and reads.
    package static var schemaVersion: Int { Schema.version }

    package let path: String
    let db: Connection

    /// Opens (and with `.create`, creates) the store at `path`, migrating an older schema.
    /// A file that is not SQLite, belongs to another program, or comes from a newer s2s is
    /// refused with a clear error and left byte-for-byte untouched.
    package init(path: String, mode: OpenMode = .create, busyTimeoutMilliseconds: Int32 = 30_000) throws(CorpusError) {
        guard sqlite3_libversion_number() >= Schema.minimumSQLite else {
            throw .sqliteTooOld(found: String(cString: sqlite3_libversion()), needed: "3.37.0")
        }
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR {
            throw .io(path: path, message: "is a directory, not a corpus database")
        }
        if !exists {
            guard mode == .create else { throw .noDatabase(path: path) }
            try FileIO.makeDirectories(parentOf: path)
        }
        let connectionMode: Connection.Mode = switch mode {
        case .create: .create
        case .existing: .existing
        case .readOnly: .readOnly
        }
        db = try Connection(path: path, mode: connectionMode, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        let found = try Schema.inspect(db)
        if mode == .readOnly {
            guard found == Schema.version else {
                throw found == 0 ? .noDatabase(path: path)
                    : .invalidArgument("\(path) has schema version \(found); open it once with a writing command to upgrade it")
            }
        } else {
            // WAL lets readers in other processes run while an import writes; NORMAL sync is
            // safe in WAL (a power cut can lose the last commit, never corrupt the file).
            // 16 KiB pages: a quarter of the write calls of the 4 KiB default on import and
            // checkpoint (about 12% less CPU per imported pair). Only possible on a new file.
            if found == 0 { try db.execute("PRAGMA page_size = 16384") }
            try db.execute("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = NORMAL")
            if found < Schema.version { try Schema.migrate(db) }
        }
        try db.execute("PRAGMA foreign_keys = ON")
    }

    /// All corpora, by name.
    package func corpora() throws(CorpusError) -> [CorpusInfo] {
        let stmt = try db.prepare("SELECT id, name, source_lang, target_lang, origin, license, created FROM corpora ORDER BY name")
        var rows: [(Int64, String, String, String, String, String, String)] = []
        while try stmt.step() {
            rows.append((stmt.int64(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4), stmt.text(5), stmt.text(6)))
        }
        let counts = try db.prepare("SELECT split, count(*) FROM pairs WHERE corpus_id = ? GROUP BY split")
        var result: [CorpusInfo] = []
        for row in rows {
            counts.reset()
            try counts.bind(1, row.0)
            var perSplit: [Split: Int] = [:]
            while try counts.step() {
                if let split = Split(rawValue: counts.text(0)) { perSplit[split] = counts.int(1) }
            }
            result.append(CorpusInfo(id: row.0, name: row.1, sourceLanguage: row.2, targetLanguage: row.3,
                                     origin: row.4, license: row.5, created: row.6, pairsPerSplit: perSplit))
        }
        return result
    }

    /// The corpus called `name`, or `corpusNotFound`.
    package func corpus(named name: String) throws(CorpusError) -> CorpusInfo {
        guard let info = try corpora().first(where: { $0.name == name }) else {
            throw .corpusNotFound(name: name, path: path)
        }
        return info
    }

    /// Number of pairs in a corpus, optionally in one split.
    package func count(corpus name: String, split: Split? = nil) throws(CorpusError) -> Int {
        let info = try corpus(named: name)
        return split.map { info.pairsPerSplit[$0] ?? 0 } ?? info.pairs
    }

    /// Deletes a corpus with its pairs, import log and cached encodings, in one transaction.
    /// Returns the number of pairs removed.
    @discardableResult
    package func remove(corpus name: String) throws(CorpusError) -> Int {
        try db.transaction(immediate: true) { () throws(CorpusError) -> Int in
            let info = try corpus(named: name)
            // Explicit deletes child-first are faster than letting each cascade look up its children.
            let deleteEncodings = try db.prepare("DELETE FROM encodings WHERE pair_id IN (SELECT id FROM pairs WHERE corpus_id = ?)")
            try deleteEncodings.bind(1, info.id)
            try deleteEncodings.step()
            for table in ["pairs", "imports"] {
                let stmt = try db.prepare("DELETE FROM \(table) WHERE corpus_id = ?")
                try stmt.bind(1, info.id)
                try stmt.step()
            }
            let stmt = try db.prepare("DELETE FROM corpora WHERE id = ?")
            try stmt.bind(1, info.id)
            try stmt.step()
            return info.pairs
        }
    }

    /// Names are used on the command line and in file names: keep them plain.
    static func validate(name: String) throws(CorpusError) {
        let ok = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D
        } && name.first != "-" && name.first != "."
        guard ok else { throw .invalidName(name) }
    }

    /// BCP 47-ish: a 2-3 letter primary subtag, optional alphanumeric subtags ("en", "pt-BR", "zh-Hant").
    static func validate(language code: String) throws(CorpusError) {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        let letters = { (s: Substring) in s.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } }
        let alnum = { (s: Substring) in s.utf8.allSatisfy { (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) } }
        guard let first = parts.first, (2...3).contains(first.count), letters(first),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && alnum($0) }) else {
            throw .invalidLanguage(code)
        }
    }

    /// The current time as ISO 8601 UTC, for `created` and import records.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The row id of a corpus, or `corpusNotFound`.
    func corpusID(_ name: String) throws(CorpusError) -> Int64 {
        let stmt = try db.prepare("SELECT id FROM corpora WHERE name = ?")
        try stmt.bind(1, name)
        guard try stmt.step() else { throw .corpusNotFound(name: name, path: path) }
        return stmt.int64(0)
    }
}
