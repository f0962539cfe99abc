/// Byte-level text measures used on the import hot path, where making a Swift `String` per line
/// would cost more than the SQLite insert: UTF-8 validation, the content hash, blank test and
/// lengths. All work on raw UTF-8 bytes.
enum TextBytes {
    /// FNV-1a 64-bit offset basis.
    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// FNV-1a over `bytes`, continuing from `hash`.
    @inline(__always)
    static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, _ hash: UInt64 = fnvOffset) -> UInt64 {
        var h = hash
        for b in bytes { h = (h ^ UInt64(b)) &* fnvPrime }
        return h
    }

    /// The content hash of a pair: FNV-1a 64 of source, a NUL, target. Cheap and good enough to
    /// find duplicate candidates; a match is always confirmed by comparing the texts.
    static func pairHash(_ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let h = (fnv1a(source) ^ 0) &* fnvPrime
        return fnv1a(target, h)
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points past
    /// U+10FFFF), checking 8 ASCII bytes at a time since most corpus text is mostly ASCII.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < n else { break }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            if b0 < 0xC2 { return false } // stray continuation byte or overlong 2-byte form
            if b0 < 0xE0 {
                guard i + 1 < n, base[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if b0 < 0xF0 {
                guard i + 2 < n, base[i + 2] & 0xC0 == 0x80 else { return false }
                let b1 = base[i + 1]
                switch b0 {
                case 0xE0: guard b1 >= 0xA0 && b1 <= 0xBF else { return false } // overlong
                case 0xED: guard b1 >= 0x80 && b1 <= 0x9F else { return false } // surrogates
                default: guard b1 & 0xC0 == 0x80 else { return false }
                }
                i += 3
            } else if b0 < 0xF5 {
                guard i + 3 < n, base[i + 2] & 0xC0 == 0x80, base[i + 3] & 0xC0 == 0x80 else { return false }
                let b1 = base[i + 1]
                switch b0 {
                case 0xF0: guard b1 >= 0x90 && b1 <= 0xBF else { return false } // overlong
                case 0xF4: guard b1 >= 0x80 && b1 <= 0x8F else { return false } // past U+10FFFF
                default: guard b1 & 0xC0 == 0x80 else { return false }
                }
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// True when the text is empty or only ASCII whitespace: such a side cannot be trained on.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy(isASCIISpace)
    }

    /// Whitespace-separated words (ASCII whitespace): `corpus stats`, and `PairLength`'s fallback.
    static func wordCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var inWord = false
        for b in bytes {
            let space = isASCIISpace(b)
            if !space && !inWord { count += 1 }
            inWord = !space
        }
        return count
    }

    /// Unicode scalars (bytes that do not continue a sequence), for scripts written without spaces.
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for b in bytes where b & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// Runs `body` on the UTF-8 bytes of `string` without copying when the string is native.
    static func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var s = string
        return try s.withUTF8(body)
    }
}

/// What `--max-len` and `--max-ratio` count (`PairLength`): words as the ICU tokenizer of each
/// side's language segments them (every script), or Unicode scalars.
package enum LengthUnit: String, Sendable, CaseIterable, Codable {
    case words, chars
}
