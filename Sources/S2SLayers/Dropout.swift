import S2SNumerics

/// Inverted dropout with a seeded generator: in training each element is kept with
/// probability 1−p and scaled by 1/(1−p), so inference needs no rescaling.
///
/// The mask (0 or 1/(1−p) per element) is written to a caller buffer and reused by backward;
/// the same seed gives the same mask, so a resumed run drops the same units.
public struct Dropout: Sendable {
    public let probability: Float

    public init(_ probability: Float) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) outside [0, 1)")
        self.probability = probability
    }

    public var isActive: Bool { probability > 0 }

    /// Draws a mask [rows, cols] and applies it to `x` in place.
    public func forward(_ x: Matrix, mask: Matrix, rng: inout PCG32) {
        precondition(x.rows == mask.rows && x.cols == mask.cols, "Dropout.forward: x \(x.rows)x\(x.cols), mask \(mask.rows)x\(mask.cols)")
        drawMask(mask, rng: &rng)
        MatrixOps.multiply(x, by: mask)
    }

    /// Fills `mask` with 0 (probability p) or 1/(1−p), row by row.
    public func drawMask(_ mask: Matrix, rng: inout PCG32) {
        let keep = 1 / (1 - probability)
        for r in 0..<mask.rows {
            let m = mask.row(r)
            for j in 0..<mask.cols { m[j] = rng.nextUnitFloat() < probability ? 0 : keep }
        }
    }

    /// `dx ← dy ⊙ mask`, in place on the gradient.
    public func backward(_ grad: Matrix, mask: Matrix) {
        MatrixOps.multiply(grad, by: mask)
    }
}
