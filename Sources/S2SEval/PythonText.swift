/// Python `str` semantics over Unicode scalars.
///
/// sacrebleu works on Python strings: sequences of code points compared code point by code
/// point, split on `str.isspace()` characters. Swift `String` compares by canonical equivalence
/// and iterates grapheme clusters, so "é" and "e\u{301}" would be one token for Swift and two
/// different ones for sacrebleu. Every metric in this module therefore works on arrays of
/// `Unicode.Scalar` values (as `UInt32`), never on `String` equality.
package typealias Scalars = [UInt32]

enum PythonText {
    /// The code points for which Python 3's `str.isspace()` is true (Unicode White_Space-like
    /// set: bidi classes WS/B/S and category Zs). Note U+200B ZERO WIDTH SPACE is not one.
    @inline(__always)
    static func isSpace(_ c: UInt32) -> Bool {
        if c <= 0x20 {
            return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)
        }
        if c < 0x85 { return false }
        switch c {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The scalars of a Swift string, unnormalized.
    static func scalars(_ s: String) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars { out.append(u.value) }
        return out
    }

    /// A Swift string from scalars (every value came from a valid `Unicode.Scalar`).
    static func string(_ s: Scalars) -> String {
        var out = String.UnicodeScalarView()
        for c in s { if let u = Unicode.Scalar(c) { out.append(u) } }
        return String(out)
    }

    /// `s.rstrip()`: drop trailing whitespace.
    static func rstrip(_ s: Scalars) -> Scalars {
        var end = s.count
        while end > 0 && isSpace(s[end - 1]) { end -= 1 }
        return end == s.count ? s : Array(s[0..<end])
    }

    /// `s.split()`: maximal runs of non-whitespace, empty pieces dropped.
    static func split(_ s: Scalars) -> [ArraySlice<UInt32>] {
        var words: [ArraySlice<UInt32>] = []
        var i = 0
        let n = s.count
        while i < n {
            while i < n && isSpace(s[i]) { i += 1 }
            if i == n { break }
            let start = i
            while i < n && !isSpace(s[i]) { i += 1 }
            words.append(s[start..<i])
        }
        return words
    }

    /// `''.join(s.split())`: every whitespace code point removed.
    static func removingSpaces(_ s: Scalars) -> Scalars {
        s.filter { !isSpace($0) }
    }

    /// `s.replace(old, new)`: non-overlapping occurrences, left to right.
    static func replace(_ s: Scalars, _ old: Scalars, _ new: Scalars) -> Scalars {
        guard !old.isEmpty, s.count >= old.count else { return s }
        var out = Scalars()
        out.reserveCapacity(s.count)
        var i = 0
        let n = s.count, m = old.count
        var changed = false
        while i < n {
            if i + m <= n && s[i] == old[0] && s[i..<(i + m)].elementsEqual(old) {
                out.append(contentsOf: new)
                i += m
                changed = true
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return changed ? out : s
    }
}
