/// Turns a pair of sentences into token ids. The text pipeline (S2SText) provides the real one;
/// the corpus store only needs this much to batch by length and cache the ids.
package protocol PairEncoder {
    /// Identifies the encoding exactly (e.g. a hash of the vocabularies and tokenizer settings):
    /// two encoders with the same key must produce the same ids for every pair, because cached
    /// ids are reused under this key across runs.
    var cacheKey: String { get }
    /// Token ids for one pair, without any BOS/EOS the model adds itself.
    func encode(source: String, target: String) throws -> (source: [Int32], target: [Int32])
}

/// What `cacheEncodings` did.
package struct EncodingReport: Sendable, Equatable {
    /// Pairs whose ids were already cached under the key.
    package var cached = 0
    /// Pairs encoded (and cached) by this call.
    package var encoded = 0
}

extension CorpusStore {
    /// Encodes every pair of `corpus` (in `split`, or all) that has no cached ids under
    /// `encoder.cacheKey`, and stores them. Work is committed every `chunk` pairs, so an
    /// interrupted run keeps what it finished and the next run only encodes the rest.
    @discardableResult
    package func cacheEncodings(corpus name: String, split: Split?, encoder: some PairEncoder, chunk: Int = 4096,
                               progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(CorpusError) -> EncodingReport {
        let corpusID = try corpusID(name)
        let encoderID = try encoderID(for: encoder.cacheKey, create: true) ?? 0
        let splitClause = split == nil ? "" : " AND p.split = ?4"
        let missing = try db.prepare("""
            SELECT p.id, p.source, p.target FROM pairs p
            WHERE p.corpus_id = ?1 AND p.id > ?2\(splitClause)
              AND NOT EXISTS (SELECT 1 FROM encodings e WHERE e.pair_id = p.id AND e.encoder_id = ?3)
            ORDER BY p.id LIMIT \(max(1, chunk))
            """)
        // Same numbered parameters as above (?2 and ?3 simply stay unbound).
        let total = try db.prepare("SELECT count(*) FROM pairs p WHERE p.corpus_id = ?1\(splitClause)")
        try total.bind(1, corpusID)
        if let split { try total.bind(4, split.rawValue) }
        _ = try total.step()
        let totalPairs = total.int(0)
        total.reset()

        // OR IGNORE: the ranks of an MPI job on one host share the store and may encode the same
        // pairs at once; the encoding is a function of pair and encoder, so either row is right.
        let insert = try db.prepare("""
            INSERT OR IGNORE INTO encodings (pair_id, encoder_id, source_len, target_len, source_ids, target_ids)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        try insert.bind(2, encoderID)
        try missing.bind(1, corpusID)
        try missing.bind(3, encoderID)
        if let split { try missing.bind(4, split.rawValue) }

        var report = EncodingReport()
        var after: Int64 = 0
        while true {
            // Read a chunk, then release the statement before writing.
            var rows: [(Int64, String, String)] = []
            missing.reset()
            try missing.bind(2, after)
            while try missing.step() { rows.append((missing.int64(0), missing.text(1), missing.text(2))) }
            missing.reset()
            guard let last = rows.last else { break }
            after = last.0
            var encoded: [(Int64, [Int32], [Int32])] = []
            encoded.reserveCapacity(rows.count)
            for (id, source, target) in rows {
                do {
                    let ids = try encoder.encode(source: source, target: target)
                    encoded.append((id, ids.source, ids.target))
                } catch {
                    throw .encodingFailed(pairID: id, message: "\(error)")
                }
            }
            try db.transaction(immediate: true) { () throws(CorpusError) in
                for (id, source, target) in encoded {
                    insert.reset()
                    try insert.bind(1, id)
                    try insert.bind(3, source.count)
                    try insert.bind(4, target.count)
                    try insert.bindBlob(5, source)
                    try insert.bindBlob(6, target)
                    try insert.step()
                }
                insert.reset()
            }
            report.encoded += encoded.count
            progress?(report.encoded, totalPairs)
        }
        report.cached = totalPairs - report.encoded
        return report
    }

    /// The cached ids of pair `id` under `cacheKey`, or nil.
    package func encodedPair(id: Int64, cacheKey: String) throws(CorpusError) -> (source: [Int32], target: [Int32])? {
        guard let encoderID = try encoderID(for: cacheKey, create: false) else { return nil }
        let select = try db.prepare("SELECT source_ids, target_ids FROM encodings WHERE pair_id = ? AND encoder_id = ?")
        try select.bind(1, id)
        try select.bind(2, encoderID)
        guard try select.step() else { return nil }
        return (TokenBlob.decode(select.bytes(0)), TokenBlob.decode(select.bytes(1)))
    }

    /// The row id for `cacheKey`, created on first use when `create`.
    func encoderID(for cacheKey: String, create: Bool) throws(CorpusError) -> Int64? {
        guard !cacheKey.isEmpty else { throw .invalidArgument("an encoder's cacheKey must not be empty") }
        let find = try db.prepare("SELECT id FROM encoders WHERE cache_key = ?")
        try find.bind(1, cacheKey)
        if try find.step() { return find.int64(0) }
        guard create else { return nil }
        find.reset()
        let insert = try db.prepare("INSERT OR IGNORE INTO encoders (cache_key, created) VALUES (?, ?)")
        try insert.bind(1, cacheKey)
        try insert.bind(2, CorpusStore.timestamp())
        try insert.step()
        guard try find.step() else { return nil }
        return find.int64(0)
    }
}

/// Token ids are stored as little-endian Int32 BLOBs (4 bytes per token).
enum TokenBlob {
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [Int32] {
        let count = bytes.count / 4
        return [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                buffer[i] = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
            }
            initialized = count
        }
    }
}

#if !_endian(little)
#error("token BLOBs are written in host byte order; add a byte swap for big-endian hosts")
#endif
