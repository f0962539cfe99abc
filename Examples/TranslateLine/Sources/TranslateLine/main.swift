// translate-line: translates each line of standard input with a model of s2s (by name on the
// model search path, or a directory), greedy or with a beam, through the S2S library.
//
//   echo "Two dogs are playing in the snow." | swift run TranslateLine default 5
import Foundation
import S2S

let arguments = CommandLine.arguments.dropFirst()
let model = arguments.first ?? "default"
let beam = arguments.dropFirst().first.flatMap { Int($0) } ?? 5

do {
    let translator = model.contains("/")
        ? try Translator(model: URL(fileURLWithPath: model))
        : try Translator(modelNamed: model)
    var lines: [String] = []
    while let line = readLine() { lines.append(line) }
    for translation in try translator.translate(lines, options: beam == 1 ? .greedy : .beam(beam)) {
        print(translation)
    }
} catch {
    FileHandle.standardError.write(Data("translate-line: \(error)\n".utf8))
    exit(1)
}
