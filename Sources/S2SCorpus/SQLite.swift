import CSQLite

/// A thin owner of one SQLite connection: open/close, one-shot SQL, prepared statements and
/// transactions. Everything the corpus store needs from the C API and nothing more, so the
/// store code reads as SQL plus Swift, and every failure carries the database path and the SQL.
final class Connection {
    let handle: OpaquePointer
    let path: String

    /// How to open: `create` makes the file (and nothing else) if it is missing; `readOnly`
    /// never writes, so it works on files the caller may not modify.
    enum Mode { case create, existing, readOnly }

    init(path: String, mode: Mode, busyTimeoutMilliseconds: Int32) throws(CorpusError) {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .existing: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw .sqlite(path: path, code: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The last error on this connection as a typed error.
    func error(_ code: Int32, sql: String?) -> CorpusError {
        .sqlite(path: path, code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String) throws(CorpusError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql: sql) }
    }

    func prepare(_ sql: String) throws(CorpusError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql: sql) }
        return Statement(handle: stmt, connection: self, sql: sql)
    }

    /// The single integer a query such as `PRAGMA user_version` returns.
    func scalar(_ sql: String) throws(CorpusError) -> Int64 {
        let stmt = try prepare(sql)
        guard try stmt.step() else { throw .sqlite(path: path, code: SQLITE_ERROR, message: "no row", sql: sql) }
        return stmt.int64(0)
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    /// `immediate` takes the write lock up front, so two writers queue on the busy timeout
    /// instead of one failing halfway with SQLITE_BUSY when it upgrades a read lock.
    func transaction<T>(immediate: Bool, _ body: () throws(CorpusError) -> T) throws(CorpusError) -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        let result: T
        do {
            result = try body()
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
        return result
    }
}

/// One prepared statement. Bindings are kept across `reset()`, so a loop binds only what changes.
final class Statement {
    let handle: OpaquePointer
    let connection: Connection
    let sql: String

    init(handle: OpaquePointer, connection: Connection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// SQLite copies the bytes (SQLITE_TRANSIENT) when the caller's buffer will not outlive the
    /// call, and borrows them (SQLITE_STATIC = nil) on the hot import path where it does.
    private static let transient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) throws(CorpusError) {
        let rc = sqlite3_bind_int64(handle, index, value)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    func bind(_ index: Int32, _ value: Int) throws(CorpusError) { try bind(index, Int64(value)) }

    func bind(_ index: Int32, _ value: String) throws(CorpusError) {
        let rc = sqlite3_bind_text(handle, index, value, -1, Statement.transient)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    func bindNull(_ index: Int32) throws(CorpusError) {
        let rc = sqlite3_bind_null(handle, index)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    /// Binds UTF-8 bytes as TEXT without copying: valid only until the next `step()` returns,
    /// which is how the importer uses it (the line buffer lives across the step).
    func bindTextNoCopy(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) throws(CorpusError) {
        let rc: Int32
        if let base = bytes.baseAddress, bytes.count > 0 {
            rc = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), nil)
            }
        } else {
            rc = sqlite3_bind_text(handle, index, "", 0, Statement.transient)
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    /// Binds token ids as a BLOB of host-order (little-endian) Int32, copied.
    func bindBlob(_ index: Int32, _ ids: [Int32]) throws(CorpusError) {
        // A zero-length blob still needs a non-null pointer, or SQLite stores NULL.
        let rc = ids.withUnsafeBytes { bytes in
            bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0)
                : sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Statement.transient)
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    /// Advances: true when a row is ready, false when done.
    @discardableResult
    func step() throws(CorpusError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let err = connection.error(rc, sql: sql)
        sqlite3_reset(handle)
        throw err
    }

    func reset() { sqlite3_reset(handle) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's bytes, valid until the next step/reset (SQLite owns them).
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer {
        // Ask for the pointer first, then the length (the order SQLite documents).
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }

    /// TEXT column as a Swift String; the store only ever writes validated UTF-8.
    func text(_ column: Int32) -> String {
        let pointer = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer, count > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}
