import ArgumentParser
import S2SText

struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Detokenize stdin to stdout.",
        discussion: """
        Reads lines of space-separated pieces (the output of `s2s tokenize`, or of a model), joins \
        them and turns the ▁ markers back into spaces.

          s2s tokenize --lang fr < a.fr | s2s detokenize        (prints the normalized text)
          s2s detokenize --pipeline vocab/m30k --side target --ids < hyp.ids
          s2s detokenize --whitespace < hyp.bpe                  (undo subword-nmt's "@@ ")
        """
    )

    @OptionGroup var pipeline: TextPipelineOptions

    @Flag(help: "Input lines are vocabulary ids (needs --pipeline).")
    var ids = false

    @Flag(help: "Input is subword-nmt output: remove \"<separator> \" joins, keep other spaces.")
    var whitespace = false

    @Option(help: "Separator for --whitespace mode.")
    var separator: String = "@@"

    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of failing.")
    var replaceInvalid = false

    func validate() throws {
        if ids && pipeline.pipeline == nil { throw ValidationError("--ids needs --pipeline DIR") }
        if ids && whitespace { throw ValidationError("--ids and --whitespace exclude each other") }
    }

    func run() throws {
        let reader = LineReader(replaceInvalid: replaceInvalid)
        var out = TextLineWriter()
        let text = try pipeline.load()
        while let line = try reader.next() {
            if ids, let text {
                var values: [Int32] = []
                for field in line.split(separator: " ") {
                    guard let id = Int32(field), id >= 0, Int(id) < text.vocabulary.count else {
                        throw ValidationError("<stdin>:\(reader.lineNumber): '\(field)' is not an id of the vocabulary (0..<\(text.vocabulary.count))")
                    }
                    values.append(id)
                }
                out.write(text.decode(values))
            } else if whitespace {
                out.write(line.removingSeparators(separator))
            } else {
                out.write(Detokenizer.detokenize(line: line))
            }
        }
        out.flush()
    }
}

fileprivate extension String {
    /// `sed -r 's/(@@ )|(@@ ?$)//g'`: every separator + space, and a final separator, removed.
    /// On code points: `String` search goes by `Character`, and " " followed by a combining
    /// mark is one grapheme, so "@@ " before "\u{301}" would not be found (issue 21).
    func removingSeparators(_ separator: String) -> String {
        let target = Array(separator.unicodeScalars) + [" "]
        let scalars = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if i + target.count <= scalars.count && scalars[i..<(i + target.count)].elementsEqual(target) {
                i += target.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        let tail = target.dropLast()
        if !tail.isEmpty && out.count >= tail.count && Array(out.suffix(tail.count)) == Array(tail) {
            out.removeLast(tail.count)
        }
        return String(out)
    }
}
