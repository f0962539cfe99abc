import CSQLite

/// The store's schema, versioned with `PRAGMA user_version`: `migrations[i]` takes a database
/// from version `i` to `i + 1`. A new version appends a migration; old ones never change, so any
/// older file upgrades step by step and a file from a newer s2s is refused before it is touched.
enum Schema {
    /// "S2SC": marks the file as ours, so a stranger's SQLite file is never migrated into a store.
    static let applicationID: Int64 = 0x5332_5343

    /// STRICT tables need SQLite 3.37.
    static let minimumSQLite: Int32 = 3_037_000

    static var version: Int { migrations.count }

    static let migrations: [String] = [
        // Version 1.
        """
        CREATE TABLE corpora (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            origin      TEXT NOT NULL,
            license     TEXT NOT NULL,
            created     TEXT NOT NULL
        ) STRICT;

        -- Texts are stored exactly as read (minus the line terminator), so an export reproduces
        -- them byte for byte. `hash` is FNV-1a 64 of source NUL target: duplicates are found with
        -- an in-memory map during import (and confirmed by comparing the texts), so the table
        -- needs no extra index for it and inserts stay cheap.
        CREATE TABLE pairs (
            id        INTEGER PRIMARY KEY,
            corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
            -- OR, not IN: SQLite builds an ephemeral table per row to check an IN list.
            split     TEXT NOT NULL CHECK (split = 'train' OR split = 'valid' OR split = 'test'),
            source    TEXT NOT NULL,
            target    TEXT NOT NULL,
            hash      INTEGER NOT NULL
        ) STRICT;
        -- Serves "pairs of corpus C in split S in import order" (rowid is the implicit last key)
        -- and the ON DELETE CASCADE from corpora.
        CREATE INDEX pairs_by_split ON pairs(corpus_id, split);

        -- One row per import: what was read, kept and skipped, and from where.
        CREATE TABLE imports (
            id         INTEGER PRIMARY KEY,
            corpus_id  INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
            origin     TEXT NOT NULL,
            split      TEXT NOT NULL,
            at         TEXT NOT NULL,
            read       INTEGER NOT NULL,
            imported   INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            empty      INTEGER NOT NULL,
            too_long   INTEGER NOT NULL,
            bad_ratio  INTEGER NOT NULL,
            bad_lines  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX imports_by_corpus ON imports(corpus_id);

        -- Token ids per pair and encoder (cache_key = the vocabulary's hash), as little-endian
        -- Int32 BLOBs, so a second training run with the same vocabulary does not re-tokenize.
        -- pair_id leads the key so that deleting pairs cascades through the primary key.
        CREATE TABLE encoders (
            id        INTEGER PRIMARY KEY,
            cache_key TEXT NOT NULL UNIQUE,
            created   TEXT NOT NULL
        ) STRICT;
        CREATE TABLE encodings (
            pair_id    INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
            encoder_id INTEGER NOT NULL REFERENCES encoders(id),
            source_len INTEGER NOT NULL,
            target_len INTEGER NOT NULL,
            source_ids BLOB NOT NULL,
            target_ids BLOB NOT NULL,
            PRIMARY KEY (pair_id, encoder_id)
        ) STRICT, WITHOUT ROWID;
        """,
    ]

    /// Checks that the file is empty or an s2s store no newer than this build, without writing.
    /// Returns the version found. Reading the header first is what keeps a foreign or newer
    /// file untouched: nothing (not even the WAL switch) happens before this passes.
    static func inspect(_ db: Connection) throws(CorpusError) -> Int {
        let found: Int64
        do {
            found = try db.scalar("PRAGMA user_version")
        } catch {
            if case let .sqlite(_, code, _, _) = error, code & 0xFF == SQLITE_NOTADB {
                throw .notADatabase(path: db.path)
            }
            throw error
        }
        let appID = try db.scalar("PRAGMA application_id")
        if found == 0 {
            // Version 0 is only acceptable for a file with no schema at all (new or zero-length).
            let objects = try db.scalar("SELECT count(*) FROM sqlite_schema")
            if objects > 0 || (appID != 0 && appID != applicationID) { throw .notACorpusStore(path: db.path) }
            return 0
        }
        guard appID == applicationID else { throw .notACorpusStore(path: db.path) }
        guard found <= Int64(version) else {
            throw .newerSchema(path: db.path, found: Int(found), supported: version)
        }
        return Int(found)
    }

    /// Brings the file up to `version` in one immediate transaction. The version is read again
    /// inside the transaction, so two processes opening a new file at once migrate it once.
    static func migrate(_ db: Connection) throws(CorpusError) {
        try db.transaction(immediate: true) { () throws(CorpusError) in
            let current = try inspect(db)
            guard current < version else { return }
            for step in current..<version { try db.execute(migrations[step]) }
            try db.execute("PRAGMA application_id = \(applicationID); PRAGMA user_version = \(version)")
        }
    }
}
