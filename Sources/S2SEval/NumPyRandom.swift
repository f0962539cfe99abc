/// NumPy's `np.random.default_rng(seed)` and the two draws sacrebleu's significance tests make
/// with it, bit for bit: `SeedSequence(seed)` hashes the seed into PCG64's 128-bit state and
/// increment; `choice(n, size, replace=True)` draws with Lemire's bounded 32-bit method;
/// `integers(2, size, dtype=bool)` takes one bit at a time from 32-bit outputs. (NumPy 2.x;
/// checked against numpy 2.4 by the significance fixtures.)
package struct NumPyRandom: Sendable {
    private var state: UInt128
    private let increment: UInt128
    /// PCG64 hands out 64-bit outputs; a 32-bit request takes the low half and keeps the high.
    private var pending: UInt32?

    private static let multiplier: UInt128 = (2_549_297_995_355_413_924 << 64) | 4_865_540_595_714_422_341

    package init(seed: UInt64) {
        let words = Self.seedSequence(seed, words: 8)
        // generate_state(4, uint64): pairs of 32-bit words, little end first.
        let w = (0..<4).map { UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32 }
        let initState = UInt128(w[0]) << 64 | UInt128(w[1])
        let initSequence = UInt128(w[2]) << 64 | UInt128(w[3])
        // pcg_setseq_128_srandom_r
        increment = (initSequence << 1) | 1
        state = 0
        step()
        state &+= initState
        step()
    }

    private mutating func step() { state = state &* Self.multiplier &+ increment }

    /// pcg_setseq_128_xsl_rr_64_random_r: step, then the XSL-RR output of the new state.
    package mutating func next64() -> UInt64 {
        step()
        let x = UInt64(truncatingIfNeeded: state >> 64) ^ UInt64(truncatingIfNeeded: state)
        let rotation = UInt64(truncatingIfNeeded: state >> 122)
        return (x >> rotation) | (x << ((64 &- rotation) & 63))
    }

    package mutating func next32() -> UInt32 {
        if let p = pending { pending = nil; return p }
        let v = next64()
        pending = UInt32(truncatingIfNeeded: v >> 32)
        return UInt32(truncatingIfNeeded: v)
    }

    /// `choice(n, size=count, replace=True)` (row-major): integers in 0..<n.
    package mutating func choice(_ n: Int, count: Int) -> [Int] {
        precondition(n >= 1 && n <= 1 << 32, "NumPyRandom.choice: n = \(n)")
        let range = UInt32(n - 1)
        if range == 0 { return Array(repeating: 0, count: count) }
        return (0..<count).map { _ in Int(range == .max ? next32() : lemire(range)) }
    }

    /// buffered_bounded_lemire_uint32: an integer in 0...range.
    private mutating func lemire(_ range: UInt32) -> UInt32 {
        let exclusive = UInt64(range) + 1
        var m = UInt64(next32()) * exclusive
        var leftover = UInt32(truncatingIfNeeded: m)
        if UInt64(leftover) < exclusive {
            let threshold = UInt32((UInt64(UInt32.max) - UInt64(range)) % exclusive)
            while leftover < threshold {
                m = UInt64(next32()) * exclusive
                leftover = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(truncatingIfNeeded: m >> 32)
    }

    /// `integers(2, size=count, dtype=bool)`: one bit per draw, 32 bits per 32-bit output.
    package mutating func booleans(count: Int) -> [Bool] {
        var out: [Bool] = []
        out.reserveCapacity(count)
        var buffer: UInt32 = 0, left = 0
        for _ in 0..<count {
            if left == 0 { buffer = next32(); left = 31 } else { buffer >>= 1; left -= 1 }
            out.append(buffer & 1 != 0)
        }
        return out
    }

    /// `SeedSequence(seed).generate_state(words, uint32)` for one integer of entropy.
    static func seedSequence(_ seed: UInt64, words: Int) -> [UInt32] {
        let initA: UInt32 = 0x43B0_D7E5, multA: UInt32 = 0x931E_8875
        let initB: UInt32 = 0x8B51_F9DD, multB: UInt32 = 0x58F3_8DED
        let mixL: UInt32 = 0xCA01_F9DD, mixR: UInt32 = 0x4973_F715
        var hashConst = initA
        func hashmix(_ v: UInt32) -> UInt32 {
            var value = v ^ hashConst
            hashConst = hashConst &* multA
            value = value &* hashConst
            return value ^ (value >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let r = mixL &* x &- mixR &* y
            return r ^ (r >> 16)
        }
        // The seed as 32-bit words, least significant first (at least one).
        var entropy: [UInt32] = [UInt32(truncatingIfNeeded: seed)]
        if seed >> 32 != 0 { entropy.append(UInt32(truncatingIfNeeded: seed >> 32)) }
        var pool = [UInt32](repeating: 0, count: 4)
        for i in 0..<4 { pool[i] = hashmix(i < entropy.count ? entropy[i] : 0) }
        for src in 0..<4 {
            for dst in 0..<4 where src != dst { pool[dst] = mix(pool[dst], hashmix(pool[src])) }
        }
        var out: [UInt32] = []
        var hashB = initB
        for i in 0..<words {
            var v = pool[i % 4] ^ hashB
            hashB = hashB &* multB
            v = v &* hashB
            out.append(v ^ (v >> 16))
        }
        return out
    }
}
