#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong in the corpus store, each case carrying what a user needs to
/// fix it (file, line, corpus name, counts). `description` is the one-line message the CLI prints.
package enum CorpusError: Error, Equatable, CustomStringConvertible, Sendable {
    case sqlite(path: String, code: Int32, message: String, sql: String?)
    case notADatabase(path: String)
    case notACorpusStore(path: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case sqliteTooOld(found: String, needed: String)
    case noDatabase(path: String)
    case corpusNotFound(name: String, path: String)
    case corpusExists(name: String)
    case invalidName(String)
    case invalidLanguage(String)
    case missingLanguages(name: String)
    case languageMismatch(name: String, existing: String, given: String)
    case lineCountMismatch(source: String, sourceLines: Int, target: String, targetLines: Int, ranOut: String)
    case invalidUTF8(file: String, line: Int)
    case missingTab(file: String, line: Int)
    case io(path: String, message: String)
    case interrupted
    case splitTooLarge(corpus: String, requested: Int, available: Int)
    case emptySplit(corpus: String, split: String)
    case encodingFailed(pairID: Int64, message: String)
    case positionMismatch(expected: UInt64, found: UInt64)
    case invalidArgument(String)

    package var description: String {
        switch self {
        case let .sqlite(path, code, message, sql):
            return "\(path): SQLite error \(code): \(message)" + (sql.map { " (in: \($0.prefix(80)))" } ?? "")
        case let .notADatabase(path):
            return "\(path) is not a SQLite database; the file was left untouched"
        case let .notACorpusStore(path):
            return "\(path) is a SQLite database of another program, not an s2s corpus store; the file was left untouched"
        case let .newerSchema(path, found, supported):
            return "\(path) has corpus schema version \(found), newer than this s2s understands (\(supported)); upgrade s2s. The file was left untouched"
        case let .sqliteTooOld(found, needed):
            return "the SQLite library is version \(found); the corpus store needs \(needed) or newer"
        case let .noDatabase(path):
            return "no corpus database at \(path) (import a corpus first, or pass --db)"
        case let .corpusNotFound(name, path):
            return "no corpus named '\(name)' in \(path) (see `s2s corpus list`)"
        case let .corpusExists(name):
            return "corpus '\(name)' already exists; pass --append to add to it, or remove it first"
        case let .invalidName(name):
            return "invalid corpus name '\(name)': use 1-64 letters, digits, '.', '_' or '-'"
        case let .invalidLanguage(code):
            return "invalid language code '\(code)': expected a code such as en, de, fr, ja, pt-BR"
        case let .missingLanguages(name):
            return "new corpus '\(name)' needs --src-lang and --tgt-lang"
        case let .languageMismatch(name, existing, given):
            return "corpus '\(name)' is \(existing), not \(given)"
        case let .lineCountMismatch(source, sourceLines, target, targetLines, ranOut):
            return "line counts differ: \(source) has \(sourceLines) lines, \(target) has \(targetLines); \(ranOut) ran out first. Nothing imported"
        case let .invalidUTF8(file, line):
            return "\(file):\(line): invalid UTF-8. Nothing imported"
        case let .missingTab(file, line):
            return "\(file):\(line): no tab between source and target (pass --skip-bad to skip such lines). Nothing imported"
        case let .io(path, message):
            return "\(path): \(message)"
        case .interrupted:
            return "interrupted; the database is as it was before"
        case let .splitTooLarge(corpus, requested, available):
            return "corpus '\(corpus)': asked for \(requested) held-out pairs but only \(available) are available"
        case let .emptySplit(corpus, split):
            return "corpus '\(corpus)' has no usable pairs in split '\(split)'"
        case let .encodingFailed(pairID, message):
            return "encoding pair \(pairID) failed: \(message)"
        case let .positionMismatch(expected, found):
            return "saved batch position belongs to a different corpus split or batch settings (fingerprint \(String(found, radix: 16)), expected \(String(expected, radix: 16)))"
        case let .invalidArgument(message):
            return message
        }
    }

    /// An I/O error from the current `errno`.
    static func posix(_ path: String, _ what: String) -> CorpusError {
        .io(path: path, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
