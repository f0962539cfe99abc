/// A seeded, reproducible random number generator (PCG-XSH-RR 64/32).
///
/// Same seed, same bits, on every run and platform: initialization, dropout, shuffling and
/// sampling all draw from it, and its state is saved in checkpoints so a resumed run draws the
/// same numbers it would have drawn without the interruption.
package struct PCG32: RandomNumberGenerator, Sendable, Codable, Equatable {
    package private(set) var state: UInt64
    package private(set) var increment: UInt64

    package init(seed: UInt64, stream: UInt64 = 0x5851_F42D_4C95_7F2D) {
        state = 0
        increment = (stream << 1) | 1
        _ = nextUInt32()
        state &+= seed
        _ = nextUInt32()
    }

    /// Restores a generator from a saved `(state, increment)` pair.
    package init(state: UInt64, increment: UInt64) {
        self.state = state
        self.increment = increment | 1
    }

    @inline(__always)
    package mutating func nextUInt32() -> UInt32 {
        let old = state
        state = old &* 6_364_136_223_846_793_005 &+ increment
        let xorshifted = UInt32(truncatingIfNeeded: ((old >> 18) ^ old) >> 27)
        let rot = UInt32(truncatingIfNeeded: old >> 59)
        return (xorshifted >> rot) | (xorshifted << ((~rot &+ 1) & 31))
    }

    package mutating func next() -> UInt64 {
        (UInt64(nextUInt32()) << 32) | UInt64(nextUInt32())
    }

    /// Uniform in [0, 1) with 24 random bits (exactly representable as Float).
    @inline(__always)
    package mutating func nextUnitFloat() -> Float {
        Float(nextUInt32() >> 8) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [low, high).
    package mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnitFloat()
    }

    /// Standard normal (Box–Muller), for orthogonal initialization and sampling tests.
    package mutating func normal() -> Float {
        var u1 = nextUnitFloat()
        while u1 <= 0 { u1 = nextUnitFloat() }
        let u2 = nextUnitFloat()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * Float.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
#endif
