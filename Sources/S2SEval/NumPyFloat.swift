#if canImport(Glibc)
import Glibc
#endif

/// A float as sacrebleu's significance code holds it: a Python float (`double`) or a NumPy
/// `float32` scalar, with NumPy 2's promotion rules (NEP 50): an operation between a float32
/// and a Python float or int is done in float32 (the Python number is "weak" and cast to
/// float32 first); two Python floats stay doubles. sacrebleu resamples statistics as float32,
/// so its bootstrap scores are float32 arithmetic in places; this type replays it exactly.
package enum NumPyFloat: Sendable, Equatable {
    case double(Double)
    case float32(Float)

    package var value: Double {
        switch self {
        case let .double(d): d
        case let .float32(f): Double(f)
        }
    }

    var isFloat32: Bool { if case .float32 = self { return true } else { return false } }

    private static func apply(_ a: NumPyFloat, _ b: NumPyFloat, _ d: (Double, Double) -> Double, _ f: (Float, Float) -> Float) -> NumPyFloat {
        switch (a, b) {
        case let (.double(x), .double(y)): .double(d(x, y))
        default: .float32(f(a.asFloat32, b.asFloat32))
        }
    }

    private var asFloat32: Float {
        switch self {
        case let .double(d): Float(d)
        case let .float32(f): f
        }
    }

    static func + (a: NumPyFloat, b: NumPyFloat) -> NumPyFloat { apply(a, b, +, +) }
    static func - (a: NumPyFloat, b: NumPyFloat) -> NumPyFloat { apply(a, b, -, -) }
    static func * (a: NumPyFloat, b: NumPyFloat) -> NumPyFloat { apply(a, b, *, *) }
    static func / (a: NumPyFloat, b: NumPyFloat) -> NumPyFloat { apply(a, b, /, /) }
}

/// NumPy reductions over a 1-D array of scores, in the array's dtype.
enum NumPyReduce {
    /// `np.add.reduce` on a contiguous array: NumPy's pairwise summation (blocks of at most 128
    /// summed with 8 interleaved accumulators, larger runs split in halves at multiples of 8).
    static func pairwiseSum<T: BinaryFloatingPoint>(_ a: ArraySlice<T>) -> T {
        let n = a.count, s = a.startIndex
        if n < 8 {
            var r: T = 0
            for x in a { r += x }
            return r
        }
        if n <= 128 {
            var r = (0..<8).map { a[s + $0] }
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += a[s + i + j] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[s + i]; i += 1 }
            return res
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(a[s..<(s + half)]) + pairwiseSum(a[(s + half)...])
    }

    /// `arr.mean()` for a float32 or float64 array (all `.float32`: a float32 array).
    static func mean(_ a: [NumPyFloat]) -> NumPyFloat {
        if a.allSatisfy(\.isFloat32) {
            let f = a.map { Float($0.value) }
            return .float32(pairwiseSum(f[...]) / Float(f.count))
        }
        let d = a.map(\.value)
        return .double(pairwiseSum(d[...]) / Double(d.count))
    }

    /// Python's `statistics.mean` (exact rational mean, rounded once to a double, then to the
    /// values' type): a double-double sum of non-negative scores is exact unless they span
    /// more than ~50 binary orders of magnitude, which scores in 0...100 do not.
    static func exactMean(_ a: [NumPyFloat]) -> NumPyFloat {
        var hi = 0.0, lo = 0.0
        for x in a {
            let v = x.value
            let s = hi + v
            let bp = s - hi
            lo += (hi - (s - bp)) + (v - bp)
            hi = s
        }
        let n = Double(a.count)
        var q = hi / n
        q += (fma(-q, n, hi) + lo) / n
        return a.allSatisfy(\.isFloat32) ? .float32(Float(q)) : .double(q)
    }
}
