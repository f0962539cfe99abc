/// The few shapes of Python `re.sub` the Moses ports need, over code points. `re.sub` replaces
/// the leftmost match, then searches again from the end of that match, so a scalar consumed by
/// one match is never the start of another: "1\u{A0}2\u{A0}3" with `(\d)\u{A0}(\d)` changes the
/// first space only. Every helper here keeps that rule.
enum MosesRewrite {
    /// `re.sub(pattern, …)` for a pattern that always matches exactly `width` scalars (a
    /// sequence of single-character classes): `matches(s, i)` tests `s[i..<i+width]`,
    /// `replacement` builds what stands in for it.
    static func fixed(_ s: Scalars, width: Int, matches: (Scalars, Int) -> Bool,
                      _ replacement: (ArraySlice<UInt32>) -> Scalars) -> Scalars {
        guard s.count >= width else { return s }
        var out = Scalars()
        out.reserveCapacity(s.count + 8)
        var i = 0
        while i < s.count {
            if i + width <= s.count && matches(s, i) {
                out.append(contentsOf: replacement(s[i..<(i + width)]))
                i += width
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// `re.sub(r"(A)(B)", r"\1 … \2")` for two single-character classes `a`, `b` around a middle
    /// scalar `mid`: the shape of the comma and apostrophe rules.
    static func around(_ s: Scalars, _ mid: UInt32, _ a: (UInt32) -> Bool, _ b: (UInt32) -> Bool,
                       _ joiner: Scalars) -> Scalars {
        fixed(s, width: 3, matches: { s, i in s[i + 1] == mid && a(s[i]) && b(s[i + 2]) }) { m in
            [m[m.startIndex]] + joiner + [m[m.startIndex + 2]]
        }
    }

    /// `re.sub(literal, new)` (Python's `str.replace` does the same).
    static func literal(_ s: Scalars, _ old: String, _ new: String) -> Scalars {
        PythonText.replace(s, PythonText.scalars(old), PythonText.scalars(new))
    }

    /// `literal` for each pair in turn.
    static func literals(_ s: Scalars, _ rules: [(String, String)]) -> Scalars {
        rules.reduce(s) { literal($0, $1.0, $1.1) }
    }

    /// `re.sub(pattern, " ")` where the pattern is a maximal run of `isRun` scalars (` +`, `\s+`).
    static func collapse(_ s: Scalars, _ isRun: (UInt32) -> Bool) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if isRun(s[i]) {
                while i < s.count && isRun(s[i]) { i += 1 }
                out.append(0x20)
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// Python's `str.strip()`: leading and trailing `isspace()` code points dropped.
    static func strip(_ s: Scalars) -> Scalars {
        var start = 0, end = s.count
        while start < end && PythonText.isSpace(s[start]) { start += 1 }
        while end > start && PythonText.isSpace(s[end - 1]) { end -= 1 }
        return start == 0 && end == s.count ? s : Array(s[start..<end])
    }

    static func isASCIILetter(_ c: UInt32) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
}
