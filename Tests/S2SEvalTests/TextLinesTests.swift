import Foundation
import Testing
@testable import S2SEval

/// Reading hypothesis/reference files the way the sacrebleu command line does.
@Suite struct TextLinesTests {
    @Test func splitsOnNewlineOnly() throws {
        let data = Data("a\r\nb\u{2028}c\n\nd".utf8)
        #expect(try TextLines.split(data, path: "x") == ["a\r", "b\u{2028}c", "", "d"])
        #expect(try TextLines.split(Data("a\n".utf8), path: "x") == ["a"])
        #expect(try TextLines.split(Data("\n".utf8), path: "x") == [""])
        #expect(try TextLines.split(Data(), path: "x") == [])
    }

    @Test func keepsByteOrderMarkAndDecomposedText() throws {
        let lines = try TextLines.split(Data([0xEF, 0xBB, 0xBF, 0x61, 0x0A, 0x65, 0xCC, 0x81]), path: "x")
        #expect(lines.count == 2)
        #expect(Array(lines[0].unicodeScalars.map(\.value)) == [0xFEFF, 0x61])
        #expect(Array(lines[1].unicodeScalars.map(\.value)) == [0x65, 0x301])
    }

    @Test func invalidUTF8NamesFileLineAndByte() {
        // Line 3 holds a lone continuation byte after "ok ".
        let data = Data("one\ntwo\nok ".utf8) + Data([0x80]) + Data("\nfour".utf8)
        #expect(throws: TextFileError(path: "hyp.txt", line: 3, problem: .invalidUTF8(byteOffset: 11))) {
            try TextLines.split(data, path: "hyp.txt")
        }
        let e = TextFileError(path: "hyp.txt", line: 3, problem: .invalidUTF8(byteOffset: 11))
        #expect(e.description == "hyp.txt:3: invalid UTF-8 at byte 11")
        // An encoded surrogate (ED A0 80) is invalid UTF-8 for Python too.
        #expect(throws: TextFileError.self) { try TextLines.split(Data([0x61, 0xED, 0xA0, 0x80]), path: "s") }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: TextFileError.self) { try TextLines.read(path: "/nonexistent/dir/hyp.txt") }
        do {
            _ = try TextLines.read(path: "/nonexistent/dir/hyp.txt")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/dir/hyp.txt: cannot read"))
        }
    }

    @Test func directoriesAreNotFiles() {
        #expect(throws: TextFileError(path: "/tmp", line: nil, problem: .unreadable("Is a directory"))) {
            try TextLines.read(path: "/tmp")
        }
    }

    @Test func atomicWriteReplacesAndLeavesNoTempFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-tl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/plot.svg"
        try TextLines.writeAtomically("first", to: path)
        try TextLines.writeAtomically("second ü", to: path)
        #expect(try TextLines.read(path: path) == ["second ü"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["plot.svg"])
        #expect(throws: TextFileError(path: dir + "/missing/x.svg", line: nil, problem: .unwritable("No such file or directory"))) {
            try TextLines.writeAtomically("x", to: dir + "/missing/x.svg")
        }
    }
}
