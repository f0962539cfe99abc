import S2SNumerics

/// Per-sentence random streams for a training pass: one seed per batch row, and a fresh
/// generator for every (sentence, purpose, time step).
///
/// Data-parallel training splits a batch among processes and must reproduce the single-process
/// run, so the numbers a sentence draws cannot depend on where it sits in the batch, on the batch
/// size, on its neighbours or on how far it is padded. One shared stream drawn row by row over
/// time-major matrices depends on all of those; a generator derived from
/// (the sentence's seed, the purpose of the draw, the step) depends on none of them.
package struct SentenceRandom: Sendable, Equatable {
    /// One seed per batch row (sentence), in the batch's row order.
    package let seeds: [UInt64]

    package init(seeds: [UInt64]) {
        self.seeds = seeds
    }

    /// `count` seeds drawn from `rng` (one `next()` each), for callers that hold a single stream:
    /// the same generator state gives the same seeds, so such runs stay reproducible and resumable.
    package init(count: Int, drawingFrom rng: inout PCG32) {
        precondition(count >= 0, "SentenceRandom: negative count \(count)")
        seeds = (0..<count).map { _ in rng.next() }
    }

    /// The number of sentences (batch rows).
    package var count: Int { seeds.count }

    /// The seeds of the given rows, in that order: the share of a batch split among processes.
    package func rows(_ rows: some Sequence<Int>) -> SentenceRandom {
        SentenceRandom(seeds: rows.map { seeds[$0] })
    }

    /// A fresh generator for the draws of sentence `b` at time step `t` for one purpose. Every
    /// call with the same arguments returns the same generator state.
    package func generator(purpose: UInt64, row b: Int, step t: Int) -> PCG32 {
        precondition(b >= 0 && b < seeds.count, "SentenceRandom: row \(b) outside 0..<\(seeds.count)")
        precondition(t >= 0, "SentenceRandom: negative step \(t)")
        // Each input goes through a full splitmix64 finalizer before the next is folded in: a
        // plain sum or xor of the three would give (s, p, t) and (s, p ^ 1, t ^ 1) the same
        // generator, and neighbouring seeds would start PCG32 at neighbouring states.
        let h = Self.mix(Self.mix(Self.mix(seeds[b]) ^ purpose) ^ UInt64(t))
        return PCG32(seed: h)
    }

    /// splitmix64's output function (Steele, Lea & Flood 2014): a bijection of UInt64 with full
    /// avalanche. The golden-ratio increment keeps 0 from mapping to 0.
    @inline(__always)
    package static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SentenceRandom {
    /// What a draw is for. Each purpose gets its own generator, so adding or removing one kind of
    /// draw (say dropout turned off) leaves the numbers of the others unchanged.
    package enum Purpose {
        package static let sourceEmbeddingDropout: UInt64 = 1
        package static let targetEmbeddingDropout: UInt64 = 2
        /// Dropout on the output layer's input `[h ; ctx ; e]`.
        package static let outputFeaturesDropout: UInt64 = 3
        /// Scheduled sampling: the coin that decides gold or own prediction for step t+1.
        package static let scheduledSamplingCoin: UInt64 = 4
        /// Scheduled sampling with `FeedChoice.sample`: the draw that picks the fed token.
        package static let sampledToken: UInt64 = 5
        /// Word dropout: the coin per source / target token (`DropoutRates.word`).
        package static let sourceWordDropout: UInt64 = 6
        package static let targetWordDropout: UInt64 = 7
        /// Dropout on the encoder outputs that the attention reads.
        package static let encoderOutputDropout: UInt64 = 8
        /// BPE-dropout: the coins that skip merges when a training pair is re-segmented for an
        /// epoch (the sentence's seed is then a function of run seed, epoch and pair).
        package static let sourceBPEDropout: UInt64 = 9
        package static let targetBPEDropout: UInt64 = 10
        /// Dropout on the input of encoder layer l (l ≥ 1) is `encoderLayerDropoutBase + l`; the
        /// base sits above every other purpose, leaving room for new ones below it.
        package static let encoderLayerDropoutBase: UInt64 = 0x100

        package static func encoderLayerDropout(layer l: Int) -> UInt64 {
            precondition(l >= 0, "SentenceRandom.Purpose: negative layer \(l)")
            return encoderLayerDropoutBase + UInt64(l)
        }
        /// Dropout on the input of decoder layer l (l ≥ 1).
        package static let decoderLayerDropoutBase: UInt64 = 0x200

        package static func decoderLayerDropout(layer l: Int) -> UInt64 {
            precondition(l >= 0, "SentenceRandom.Purpose: negative layer \(l)")
            return decoderLayerDropoutBase + UInt64(l)
        }
        /// Variational dropout on the recurrent connections of encoder layer l, direction d
        /// (1 = reverse): `encoderRecurrentDropoutBase + 2l + d`, one mask per sentence drawn at
        /// step 0 and used at every step.
        package static let encoderRecurrentDropoutBase: UInt64 = 0x300

        package static func encoderRecurrentDropout(layer l: Int, direction d: Int) -> UInt64 {
            precondition(l >= 0 && l < 128 && (d == 0 || d == 1), "SentenceRandom.Purpose: layer \(l), direction \(d)")
            return encoderRecurrentDropoutBase + UInt64(2 * l + d)
        }
        /// The same for decoder layer l.
        package static let decoderRecurrentDropoutBase: UInt64 = 0x400

        package static func decoderRecurrentDropout(layer l: Int) -> UInt64 {
            precondition(l >= 0, "SentenceRandom.Purpose: negative layer \(l)")
            return decoderRecurrentDropoutBase + UInt64(l)
        }
    }
}
