#if canImport(Glibc)
import Glibc
#endif

/// A string compared, hashed and ordered by its exact code points, unlike `String`, which
/// treats canonically equivalent spellings ("é" and "e\u{301}") as one value and orders by
/// them. Tokens, BPE symbols and vocabulary entries are keyed by this: subword-nmt (Python)
/// compares code points, and a vocabulary must give two different spellings two ids.
/// Ordering is code-point order (UTF-8 byte order is the same order).
package struct ExactString: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package let string: String

    package init(_ string: String) { self.string = string }
    package init(stringLiteral value: String) { self.string = value }

    package var description: String { string }

    package static func == (a: ExactString, b: ExactString) -> Bool {
        compare(a.string, b.string) == 0
    }

    package static func < (a: ExactString, b: ExactString) -> Bool {
        compare(a.string, b.string) < 0
    }

    package func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// memcmp-style comparison of the UTF-8 bytes.
    @inline(__always)
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                let n = min(pa.count, pb.count)
                if n > 0 {
                    let c = memcmp(pa.baseAddress!, pb.baseAddress!, n)
                    if c != 0 { return Int(c) }
                }
                return pa.count - pb.count
            }
        }
    }
}
