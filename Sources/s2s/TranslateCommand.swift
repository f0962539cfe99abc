import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import S2SDecode

/// `s2s translate`: standard input to standard output, one output line per input line, always.
///
/// Streaming when stdin is a terminal or with `--unbuffered` (each line translated and flushed
/// as soon as it is read; lines that arrived together go as one batch); otherwise lines are read in windows, sorted by length into batches
/// and written back in input order. The model is loaded and checked before anything is written.
struct TranslateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate sentences from stdin to stdout.",
        discussion: """
            Reads UTF-8 lines and writes one line per input line, in order; an empty or blank line \
            gives an empty line. Without --model, uses the model named 'default' (see --model). \
            --format jsonl writes one JSON object per line (source, translation, score, log_prob, \
            n_best, warnings, and with --attention the attention weights). In text format, \
            --n-best K writes the K candidates on one line, separated by tabs.
            """
    )

    @OptionGroup var decoding: DecodingArguments
    @Option(name: .long, help: "text or jsonl.") var format: TranslationFormat = .text
    @Flag(name: .long, help: "jsonl: include the attention weights (source and output pieces, weights).")
    var attention = false
    @Flag(name: .long, help: "Translate and flush each line as soon as it is read; lines that arrive together are batched (automatic on a terminal).")
    var unbuffered = false
    @Option(name: .long, help: "Lines read per sorting window when batching.") var window = 2048

    func validate() throws {
        if window < 1 { throw ValidationError("--window must be at least 1, got \(window)") }
        if attention && format != .jsonl { throw ValidationError("--attention needs --format jsonl") }
    }

    func run() throws {
        let advisor = decoding.makeThreadAdvisor()
        let translator = try decoding.makeTranslator(command: "translate", keepAttention: attention)
        let streaming = unbuffered || isatty(STDIN_FILENO) != 0
        let stream = TranslationStream(translator: translator, format: format, streaming: streaming, window: window)
        let input = LineInput(fileDescriptor: STDIN_FILENO)
        let output = OutputLines(fileDescriptor: STDOUT_FILENO)
        do {
            try stream.run(input: input, write: { line, flush in
                output.append(line)
                if flush { output.flush() }
            }, warn: { line in
                output.flush()  // warnings after the lines before them
                standardError("warning: \(line)")
            }, beforeBatch: advisor.adjust)
        } catch {
            output.flush()
            throw CommandFailure("translate", error.description)
        }
        output.flush()
    }
}

/// Buffered lines to a file descriptor, written with write(2) when flushed or when 64 KB have
/// gathered.
final class OutputLines {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fileDescriptor: Int32) { fd = fileDescriptor }

    func append(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                standardError("s2s: cannot write the output: \(String(cString: strerror(errno)))")
                exit(1)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension TranslationFormat: ExpressibleByArgument {}
