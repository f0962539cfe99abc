/// One BPE merge: the two symbols that become one. A word-final symbol carries subword-nmt's
/// end-of-word suffix "</w>" (e.g. `e` + `s</w>` → `es</w>`).
package struct BPEMerge: Hashable, Sendable, CustomStringConvertible {
    package let left: String
    package let right: String

    package init(_ left: String, _ right: String) {
        self.left = left
        self.right = right
    }

    package var description: String { "\(left) \(right)" }
}

/// An ordered list of merges in subword-nmt's codes format, so codes move between s2s and
/// subword-nmt both ways: a `#version: 0.2` header line, then one `left right` line per merge,
/// most frequent first.
package struct BPECodes: Sendable, Equatable {
    /// subword-nmt's end-of-word handling. 0.2 (the current one) glues "</w>" onto the last
    /// character; 0.1 made it a symbol of its own.
    package enum Version: String, Sendable {
        case v01 = "0.1"
        case v02 = "0.2"
    }

    package var merges: [BPEMerge]
    package var version: Version

    package init(merges: [BPEMerge], version: Version = .v02) {
        self.merges = merges
        self.version = version
    }

    /// The file's bytes: header, then one merge per line.
    package func serialized() -> [UInt8] {
        var text = version == .v02 ? "#version: 0.2\n" : ""
        for (k, merge) in merges.enumerated() {
            // A 0.1 file's first merge spelled like a version header would read back as one; a
            // leading space (stripped by both parsers) keeps it a merge.
            if k == 0 && version == .v01 && merge.left.hasPrefix("#version:") { text += " " }
            text += "\(merge.left) \(merge.right)\n"
        }
        return Array(text.utf8)
    }

    /// Writes the codes atomically (temp file + rename).
    package func write(to path: String) throws(TextError) {
        try AtomicFile.write(serialized(), to: path)
    }

    /// Reads a codes file written by s2s or subword-nmt.
    package static func load(path: String) throws(TextError) -> BPECodes {
        let bytes = try FileBytes.read(path)
        return try parse(bytes, file: path)
    }

    /// Parses codes the way subword-nmt's `apply_bpe` does: an optional `#version:` line, then
    /// lines of exactly two space-separated symbols (outer "\r", "\n", " " stripped). Errors
    /// name the file and the 1-based line. Works on bytes: every delimiter is ASCII, and
    /// Swift's `Character` would glue "\r\n" or " " + a combining mark into one.
    package static func parse(_ bytes: [UInt8], file: String) throws(TextError) -> BPECodes {
        if String(validating: bytes, as: UTF8.self) == nil {
            throw .badCodes(file: file, line: FileBytes.firstInvalidLine(bytes), reason: "invalid UTF-8")
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        var version = Version.v01
        var firstLineNumber = 1
        let tag = Array("#version:".utf8)
        if let first = lines.first, first.starts(with: tag) {
            let value = String(decoding: first.dropFirst(tag.count).strippingSpacesAndLineEnds(), as: UTF8.self)
            switch value {
            case "0.2", "0.2.0": version = .v02
            case "0.1", "0.1.0": version = .v01
            default: throw .badCodes(file: file, line: 1, reason: "unsupported version '\(value)' (expected 0.1 or 0.2)")
            }
            lines.removeFirst()
            firstLineNumber = 2
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        var merges: [BPEMerge] = []
        merges.reserveCapacity(lines.count)
        for (k, line) in lines.enumerated() {
            let parts = line.strippingSpacesAndLineEnds().split(separator: 0x20, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .badCodes(file: file, line: firstLineNumber + k,
                                reason: "expected two symbols separated by one space, found '\(String(decoding: line, as: UTF8.self))'")
            }
            merges.append(BPEMerge(String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self)))
        }
        return BPECodes(merges: merges, version: version)
    }
}

extension ArraySlice<UInt8> {
    /// Strips "\r", "\n" and " " from both ends, as Python's `strip('\r\n ')`.
    func strippingSpacesAndLineEnds() -> ArraySlice<UInt8> {
        var s = self
        while let c = s.first, c == 0x20 || c == 0x0A || c == 0x0D { s.removeFirst() }
        while let c = s.last, c == 0x20 || c == 0x0A || c == 0x0D { s.removeLast() }
        return s
    }
}
