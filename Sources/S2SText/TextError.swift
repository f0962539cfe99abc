/// Everything that can go wrong in the text pipeline, each case carrying the file and line (or
/// the setting) a user needs to fix the input. `description` is the one-line message the CLI
/// prints.
package enum TextError: Error, Equatable, CustomStringConvertible {
    /// A line that is not valid UTF-8 (1-based line number).
    case invalidUTF8(file: String, line: Int)
    /// A file with no bytes (or no lines) where text was expected.
    case emptyInput(file: String)
    /// Two sides of a parallel corpus with different line counts.
    case lineCountMismatch(source: String, sourceLines: Int, target: String, targetLines: Int)
    /// A vocabulary file that does not follow the `token<TAB>count` format.
    case badVocabulary(file: String, line: Int, reason: String)
    /// A BPE codes file that does not follow subword-nmt's format.
    case badCodes(file: String, line: Int, reason: String)
    /// A pipeline directory whose settings file is missing, malformed or inconsistent.
    case badPipeline(file: String, reason: String)
    /// A setting that cannot be used (unknown normalization form, bad language code, …).
    case badSetting(name: String, value: String, reason: String)
    /// An ICU call that failed.
    case icu(String)
    /// A file that could not be read or written.
    case io(path: String, reason: String)

    package var description: String {
        switch self {
        case let .invalidUTF8(file, line):
            return "\(file):\(line): invalid UTF-8 (use --replace-invalid to substitute U+FFFD)"
        case let .emptyInput(file):
            return "\(file): empty input, no text to read"
        case let .lineCountMismatch(source, sourceLines, target, targetLines):
            return "\(source) has \(sourceLines) lines but \(target) has \(targetLines); parallel files must align line by line"
        case let .badVocabulary(file, line, reason):
            return "\(file):\(line): not a valid vocabulary: \(reason)"
        case let .badCodes(file, line, reason):
            return "\(file):\(line): not a valid BPE codes file: \(reason)"
        case let .badPipeline(file, reason):
            return "\(file): not a valid text pipeline: \(reason)"
        case let .badSetting(name, value, reason):
            return "\(name) '\(value)': \(reason)"
        case let .icu(message):
            return message
        case let .io(path, reason):
            return "\(path): \(reason)"
        }
    }
}
