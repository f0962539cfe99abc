/// One sentence pair as stored.
package struct SentencePair: Sendable, Equatable, Hashable {
    /// Row id: stable for the life of the pair, increasing in import order.
    package let id: Int64
    package let source: String
    package let target: String
    package let split: Split
}

/// Streams the pairs of a corpus (optionally one split) in import order, one row in memory at a
/// time: a SQLite statement stepped row by row, so a million-pair corpus costs the same memory
/// as a hundred-pair one. The cursor reads one consistent snapshot (WAL), unaffected by an
/// import another process commits meanwhile.
package final class PairCursor {
    private let statement: Statement
    private var done = false

    init(statement: Statement) { self.statement = statement }

    /// The next pair, or nil at the end.
    package func next() throws(CorpusError) -> SentencePair? {
        guard !done else { return nil }
        guard try statement.step() else {
            done = true
            statement.reset() // ends the read snapshot
            return nil
        }
        return SentencePair(id: statement.int64(0), source: statement.text(1), target: statement.text(2),
                            split: Split(rawValue: statement.text(3)) ?? .train)
    }

    /// Stops early and releases the read snapshot.
    package func close() {
        done = true
        statement.reset()
    }
}

extension CorpusStore {
    /// A cursor over the pairs of `corpus` (in `split`, or all), in import order.
    package func pairs(corpus name: String, split: Split? = nil) throws(CorpusError) -> PairCursor {
        let id = try corpusID(name)
        let statement = try db.prepare("SELECT id, source, target, split FROM pairs WHERE corpus_id = ?"
            + (split == nil ? "" : " AND split = ?") + " ORDER BY id")
        try statement.bind(1, id)
        if let split { try statement.bind(2, split.rawValue) }
        return PairCursor(statement: statement)
    }

    /// Calls `body` for each pair of `corpus` (in `split`, or all), streaming in import order.
    package func forEachPair(corpus name: String, split: Split? = nil,
                            _ body: (SentencePair) throws -> Void) throws {
        let cursor = try pairs(corpus: name, split: split)
        defer { cursor.close() }
        while let pair = try cursor.next() { try body(pair) }
    }

    /// One pair by id (e.g. the texts behind a training batch), or nil.
    package func pair(id: Int64) throws(CorpusError) -> SentencePair? {
        let statement = try db.prepare("SELECT id, source, target, split FROM pairs WHERE id = ?")
        try statement.bind(1, id)
        guard try statement.step() else { return nil }
        return SentencePair(id: statement.int64(0), source: statement.text(1), target: statement.text(2),
                            split: Split(rawValue: statement.text(3)) ?? .train)
    }

    /// Writes the pairs of `corpus` (in `split`, or all) as two aligned files, one sentence per
    /// line, in import order: the bytes that were imported, each line ended by LF. Each file is
    /// written to a temporary name and renamed into place, so a failed export leaves neither
    /// half-written. Returns the number of pairs written.
    @discardableResult
    package func export(corpus name: String, split: Split? = nil, sourcePath: String,
                       targetPath: String) throws(CorpusError) -> Int {
        guard sourcePath != targetPath else { throw .invalidArgument("--src and --tgt must be different files") }
        let id = try corpusID(name)
        let statement = try db.prepare("SELECT source, target FROM pairs WHERE corpus_id = ?"
            + (split == nil ? "" : " AND split = ?") + " ORDER BY id")
        try statement.bind(1, id)
        if let split { try statement.bind(2, split.rawValue) }
        defer { statement.reset() }
        let sourceFile = try AtomicFileWriter(path: sourcePath)
        let targetFile = try AtomicFileWriter(path: targetPath)
        var count = 0
        while try statement.step() {
            try sourceFile.write(statement.bytes(0))
            try sourceFile.write(byte: 0x0A)
            try targetFile.write(statement.bytes(1))
            try targetFile.write(byte: 0x0A)
            count += 1
        }
        try sourceFile.commit()
        try targetFile.commit()
        return count
    }
}
