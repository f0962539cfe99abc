import S2SNumerics

/// Variational dropout on the recurrent connections (Gal & Ghahramani 2016, "A theoretically
/// grounded application of dropout in recurrent neural networks"): one Bernoulli mask per
/// sentence (and per layer and direction), drawn once and reused at every time step, on the
/// previous state where it enters the recurrent weights:
///
///     a_t = W_ih x_t + W_hh (h_{t−1} ⊙ m) + b        m ∈ {0, 1/(1−p)}^H, the same for every t
///
/// Only the operand of the recurrent product is masked. Every other path of h_{t−1} sees it
/// unmasked: the GRU's carry z ⊙ h_{t−1}, the gated cell's (1 − g) ⊙ s_{t−1}, and the LSTM's
/// memory c (which is never masked; only h enters W_hh). Masking those would drop the state
/// itself, not a connection, and the carry is what lets a gated cell keep information intact.
///
/// Backward, with da_t = ∂L/∂a_t (the gate pre-activation gradients of the recurrent product;
/// for the GRU its own block `dgh`, whose n part carries the reset gate):
///
///     ∂L/∂h_{t−1}  (+)= (da_t · W_hh) ⊙ m       chain rule through hm = h_{t−1} ⊙ m, ∂hm/∂h = diag(m)
///     ∂L/∂W_hh      += Σ_t da_tᵀ (h_{t−1} ⊙ m)  the product's operand is hm, so hm is kept
///     ∂L/∂b_hh      unchanged; m is a constant, no gradient
///
/// Inverted scaling keeps E[hm] = h_{t−1}, so inference uses no mask and no rescaling. The mask
/// row of sentence b comes from `random.generator(purpose:, row: b, step: 0)`: one generator per
/// sentence, independent of its batch position, neighbours and length, so data-parallel runs
/// split over N processes and resumed runs draw the same masks as one process would.
package struct RecurrentDropout: Sendable {
    package let dropout: Dropout

    package init(_ probability: Float) {
        dropout = Dropout(probability)
    }

    package var probability: Float { dropout.probability }
    package var isActive: Bool { dropout.isActive }

    /// Fills `mask` [B, H] (B = `random.count`): row b is sentence b's mask for every step.
    package func drawMask(_ mask: Matrix, random: SentenceRandom, purpose: UInt64) {
        // A [B, H] mask read as time-major with one step: row b draws from (b, step 0).
        dropout.drawMask(mask, random: random, purpose: purpose, batch: mask.rows)
    }

    /// A pass's buffers for one layer (and direction): the sentence masks [B, H], the masked
    /// operands of all steps [steps·B, H] (row block t: the one step t reads) and scratch [B, H].
    package struct Buffers {
        package let mask: Matrix
        package let operands: Matrix
        package let scratch: Matrix

        package init(mask: Matrix, operands: Matrix, scratch: Matrix) {
            precondition(operands.rows % mask.rows == 0 && operands.cols == mask.cols,
                         "RecurrentDropout.Buffers: operands \(operands.rows)x\(operands.cols), mask \(mask.rows)x\(mask.cols)")
            self.mask = mask
            self.operands = operands
            self.scratch = scratch
        }

        /// The view of step t (row block t of `operands`).
        package func step(_ t: Int) -> Step {
            Step(mask: mask, operand: operands.rows(t * mask.rows, mask.rows), scratch: scratch)
        }
    }

    /// One step's view: the sentence masks [B, H], where that step keeps its masked operand
    /// h_{t−1} ⊙ m [B, H] (the weight gradient reads it), and scratch [B, H] for backward.
    package struct Step {
        package let mask: Matrix
        package let operand: Matrix
        package let scratch: Matrix

        package init(mask: Matrix, operand: Matrix, scratch: Matrix) {
            precondition(mask.rows == operand.rows && mask.cols == operand.cols && scratch.rows == mask.rows
                         && scratch.cols == mask.cols, "RecurrentDropout.Step: mask, operand and scratch shapes differ")
            self.mask = mask
            self.operand = operand
            self.scratch = scratch
        }

        /// Forward: `into (β)= (hPrev ⊙ m) · W_hhᵀ`, keeping hPrev ⊙ m in `operand`.
        package func product(hPrev: Matrix, weight: Tensor, into out: Matrix, beta: Float, precision: Precision) {
            MatrixOps.copy(hPrev, to: operand)
            MatrixOps.multiply(operand, by: mask)
            Matmul.gemm(operand, weight: weight, transB: true, into: out, beta: beta, precision: precision)
        }

        /// Backward: `dhPrev (+)= (da · W_hh) ⊙ m`, the gradient through the masked operand only.
        /// `accumulate` adds to what the cell kernel wrote (the carry's direct term).
        package func gradient(da: Matrix, weight: Tensor, into dhPrev: Matrix, accumulate: Bool, precision: Precision) {
            let target = accumulate ? scratch : dhPrev
            Matmul.gemm(da, weight: weight, into: target, precision: precision)
            MatrixOps.multiply(target, by: mask)
            if accumulate { MatrixOps.add(scratch, to: dhPrev) }
        }
    }

    /// The recurrent product of every cell step, `out (β)= h_{t−1} · W_hhᵀ`, through `step`'s
    /// mask when recurrent dropout is on (nil: plain).
    package static func product(_ step: Step?, hPrev: Matrix, weight: Tensor, into out: Matrix, beta: Float,
                                precision: Precision) {
        if let step {
            step.product(hPrev: hPrev, weight: weight, into: out, beta: beta, precision: precision)
        } else {
            Matmul.gemm(hPrev, weight: weight, transB: true, into: out, beta: beta, precision: precision)
        }
    }

    /// Its backward, `dhPrev (+)= da · W_hh`, times `step`'s mask when recurrent dropout is on.
    package static func gradient(_ step: Step?, da: Matrix, weight: Tensor, into dhPrev: Matrix, accumulate: Bool,
                                 precision: Precision) {
        if let step {
            step.gradient(da: da, weight: weight, into: dhPrev, accumulate: accumulate, precision: precision)
        } else {
            Matmul.gemm(da, weight: weight, into: dhPrev, beta: accumulate ? 1 : 0, precision: precision)
        }
    }
}
