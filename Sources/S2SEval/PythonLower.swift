extension PythonText {
    /// Python 3's `str.lower()` on code points: each scalar's full lowercase mapping ("İ" →
    /// "i̇", two code points), and capital sigma as final sigma "ς" where Python's
    /// Final_Sigma rule puts it (after a cased letter, skipping case-ignorables, and not before
    /// one). Swift's `lowercased()` has no final sigma and works on a `String`.
    static func lower(_ s: Scalars) -> Scalars {
        var out = Scalars()
        out.reserveCapacity(s.count)
        for (i, c) in s.enumerated() {
            if c < 0x80 {
                out.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c)
                continue
            }
            guard let u = Unicode.Scalar(c) else { out.append(c); continue }
            if c == 0x3A3 {
                out.append(isFinalSigma(s, i) ? 0x3C2 : 0x3C3)
                continue
            }
            for l in u.properties.lowercaseMapping.unicodeScalars { out.append(l.value) }
        }
        return out
    }

    /// CPython's `handle_capital_sigma`.
    private static func isFinalSigma(_ s: Scalars, _ i: Int) -> Bool {
        func cased(_ c: UInt32) -> Bool { Unicode.Scalar(c)?.properties.isCased ?? false }
        func ignorable(_ c: UInt32) -> Bool { Unicode.Scalar(c)?.properties.isCaseIgnorable ?? false }
        var j = i - 1
        while j >= 0 && ignorable(s[j]) { j -= 1 }
        guard j >= 0 && cased(s[j]) else { return false }
        var k = i + 1
        while k < s.count && ignorable(s[k]) { k += 1 }
        return k == s.count || !cased(s[k])
    }
}
