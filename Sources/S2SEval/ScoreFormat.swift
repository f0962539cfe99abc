#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number formatting exactly as Python's `f"{x:.Nf}"` does it.
///
/// Python formats a float by correctly rounding its exact binary value to N decimals (round half
/// to even on the exact value), which is what glibc's `printf("%.*f")` does too; Swift's own
/// `description` gives shortest round-trip digits instead, which is right for JSON numbers but
/// not for fixed-width scores. So fixed-width output goes through `snprintf`.
package enum ScoreFormat {
    /// `f"{x:.{digits}f}"`.
    package static func fixed(_ x: Double, _ digits: Int) -> String {
        precondition(digits >= 0 && digits <= 40, "ScoreFormat.fixed: \(digits) digits")
        var buffer = [CChar](repeating: 0, count: 400)
        let written = withVaList([x]) { args in
            buffer.withUnsafeMutableBufferPointer { buf in
                vsnprintf(buf.baseAddress, buf.count, "%.\(digits)f", args)
            }
        }
        if written >= buffer.count {  // only for |x| beyond 1e390, i.e. never for a score
            buffer = [CChar](repeating: 0, count: Int(written) + 1)
            _ = withVaList([x]) { args in
                buffer.withUnsafeMutableBufferPointer { buf in
                    vsnprintf(buf.baseAddress, buf.count, "%.\(digits)f", args)
                }
            }
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `json.dumps(float(f"{x:.{digits}f}"))`: the score as sacrebleu's JSON output shows it,
    /// rounded to `digits` and then printed as the shortest round-trip decimal ("73.9", "100.0").
    /// Swift's `description` and Python's `repr` agree for every value in [1e-4, 1e16), which
    /// holds every score (0...100) rounded to at most 4 decimals; smaller non-zero values are
    /// not scores.
    package static func jsonRounded(_ x: Double, _ digits: Int) -> String {
        let rounded = Double(fixed(x, digits)) ?? x
        if rounded.isNaN { return "NaN" }
        if rounded.isInfinite { return rounded > 0 ? "Infinity" : "-Infinity" }
        return "\(rounded)"
    }
}
