import S2SNumerics

/// Inverted dropout with seeded masks: in training each element is kept with probability 1−p
/// and scaled by 1/(1−p), so inference needs no rescaling.
///
/// The mask (0 or 1/(1−p) per element) is written to a caller buffer and reused by backward.
/// Each row of a time-major mask draws from its own sentence's generator (`SentenceRandom`), so
/// a sentence gets the same mask whatever batch it is in; the same seeds give the same masks, so
/// a resumed run drops the same units.
package struct Dropout: Sendable {
    package let probability: Float

    package init(_ probability: Float) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) outside [0, 1)")
        self.probability = probability
    }

    package var isActive: Bool { probability > 0 }

    /// Draws a mask over a time-major [T·B, cols] `x` (see `drawMask`) and applies it in place.
    package func forward(_ x: Matrix, mask: Matrix, random: SentenceRandom, purpose: UInt64, batch B: Int) {
        precondition(x.rows == mask.rows && x.cols == mask.cols, "Dropout.forward: x \(x.rows)x\(x.cols), mask \(mask.rows)x\(mask.cols)")
        drawMask(mask, random: random, purpose: purpose, batch: B)
        MatrixOps.multiply(x, by: mask)
    }

    /// Fills a time-major mask [T·B, cols] with 0 (probability p) or 1/(1−p): row r = t·B + b
    /// takes its `cols` values from `random.generator(purpose:, row: b, step: t)`.
    package func drawMask(_ mask: Matrix, random: SentenceRandom, purpose: UInt64, batch B: Int) {
        precondition(B > 0 && random.count == B && mask.rows % B == 0,
                     "Dropout.drawMask: \(mask.rows) rows, batch \(B), \(random.count) sentence seeds")
        let keep = 1 / (1 - probability)
        for r in 0..<mask.rows {
            var rng = random.generator(purpose: purpose, row: r % B, step: r / B)
            let m = mask.row(r)
            for j in 0..<mask.cols { m[j] = rng.nextUnitFloat() < probability ? 0 : keep }
        }
    }

    /// `dx ← dy ⊙ mask`, in place on the gradient.
    package func backward(_ grad: Matrix, mask: Matrix) {
        MatrixOps.multiply(grad, by: mask)
    }
}
