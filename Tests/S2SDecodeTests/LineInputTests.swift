#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import S2SDecode

/// Lines read from a file: CRLF, a missing final newline, invalid UTF-8 and a line far longer
/// than the read chunk.
@Test func lineInputSplitsRepairsAndNumbersLines() throws {
    let scratch = try Scratch()
    let path = scratch.path + "/in.txt"
    let long = String(repeating: "wort ", count: 40_000)  // 200 KB, several read chunks
    let bytes = Array("first\r\n\n".utf8) + [0x61, 0xC3, 0x28, 0x62, 0x0A] + Array(long.utf8) + [0x0A] + Array("  \nlast".utf8)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let fd = open(path, O_RDONLY)
    #expect(fd >= 0)
    defer { close(fd) }
    let input = LineInput(fileDescriptor: fd)
    var lines: [Translator.Line] = []
    while let line = try input.next() { lines.append(line) }
    #expect(lines.map(\.text) == ["first", "", "a\u{FFFD}(b", long, "  ", "last"])
    #expect(lines.map(\.number) == [1, 2, 3, 4, 5, 6])
    #expect(lines.map { $0.warning != nil } == [false, false, true, false, false, false])
    #expect(lines[2].warning?.contains("line 3") == true)
}
