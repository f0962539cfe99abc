import Testing
import Foundation
@testable import S2SText

/// Reading text with line numbers, bad bytes, empty and misaligned files; atomic writes.
@Suite struct TextFileTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let path = try Fixture.temporaryDirectory() + "/f.txt"
        try AtomicFile.write(bytes, to: path)
        return path
    }

    @Test func linesAndLineNumbers() throws {
        let reader = try LineReader(path: try file(Array("a\n\nb\r\nc".utf8)))
        #expect(try reader.readAll() == ["a", "", "b\r", "c"])
        #expect(reader.lineNumber == 4 && reader.bytesRead == 7)
    }

    @Test func invalidUTF8NamesFileAndLine() throws {
        let path = try file(Array("ok\nstill ok\nbad \u{FF}".utf8).map { $0 } + [0x0A, 0x62, 0xC3, 0x28, 0x0A])
        let reader = try LineReader(path: path)
        #expect(try reader.next() == "ok")
        #expect(try reader.next() == "still ok")
        #expect(try reader.next() == "bad \u{FF}", "U+00FF is valid UTF-8 (C3 BF)")
        #expect(throws: TextError.invalidUTF8(file: path, line: 4)) { try reader.next() }
        #expect(TextError.invalidUTF8(file: path, line: 4).description == "\(path):4: invalid UTF-8 (use --replace-invalid to substitute U+FFFD)")

        let replacing = try LineReader(path: try file([0x61, 0xFF, 0xFE, 0x0A, 0xE2, 0x82, 0x0A, 0x62]), replaceInvalid: true)
        #expect(try replacing.readAll() == ["a\u{FFFD}\u{FFFD}", "\u{FFFD}", "b"])
        #expect(replacing.replaced == 3)
    }

    @Test func parallelFiles() throws {
        let en = try file(Array("one\ntwo\nthree\n".utf8))
        let de = try file(Array("eins\nzwei\ndrei\n".utf8))
        var got: [String] = []
        let (pairs, replaced) = try ParallelText.forEachPair(source: en, target: de) { got.append("\($0)|\($1)") }
        #expect(got == ["one|eins", "two|zwei", "three|drei"] && pairs == 3 && replaced == 0)

        let short = try file(Array("eins\nzwei\n".utf8))
        #expect(throws: TextError.lineCountMismatch(source: en, sourceLines: 3, target: short, targetLines: 2)) {
            try ParallelText.forEachPair(source: en, target: short) { _, _ in }
        }
        let empty = try file([])
        #expect(throws: TextError.emptyInput(file: empty)) { try ParallelText.forEachPair(source: empty, target: de) { _, _ in } }
        #expect(throws: TextError.emptyInput(file: empty)) { try ParallelText.forEachPair(source: en, target: empty) { _, _ in } }
        #expect(throws: TextError.emptyInput(file: empty)) { try ParallelText.forEachPair(tsv: empty) { _, _ in } }
        #expect(TextError.emptyInput(file: "x").description == "x: empty input, no text to read")

        let tsv = try file(Array("Go.\tVa !\nTab\tin\tthe target\nno tab here\n".utf8))
        var rows: [[String]] = []
        #expect(throws: TextError.self) { try ParallelText.forEachPair(tsv: tsv) { rows.append([$0, $1]) } }
        #expect(rows == [["Go.", "Va !"], ["Tab", "in\tthe target"]])
        #expect(throws: TextError.self) { try ParallelText.forEachPair(source: "/nonexistent", target: de) { _, _ in } }
    }

    @Test func aLineLongerThanTheReadBuffer() throws {
        let long = String(repeating: "0123456789", count: 300_000) // 3 MB, three buffer fills
        let reader = try LineReader(path: try file(Array("short\n\(long)\nend\n".utf8)))
        #expect(try reader.readAll() == ["short", long, "end"])
    }

    @Test func atomicWritesLeaveNoTemporaryFile() throws {
        let dir = try Fixture.temporaryDirectory()
        try AtomicFile.write(Array("one".utf8), to: "\(dir)/a")
        try AtomicFile.write(Array("two".utf8), to: "\(dir)/a")
        #expect(try FileBytes.read("\(dir)/a") == Array("two".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a"])
        #expect(throws: TextError.self) { try AtomicFile.write([1], to: "\(dir)/missing/a") }
    }
}
