import S2SNumerics

/// The four parameters of one direction of one recurrent layer (PyTorch names and layout; G gate
/// row blocks of H rows, see `RecurrentCellKind`).
package struct RecurrentWeights: Sendable {
    package let weightIH: Parameter  // [G·H, in]
    package let weightHH: Parameter  // [G·H, H]
    package let biasIH: Parameter    // [G·H]
    package let biasHH: Parameter    // [G·H]
}

/// Stacked, optionally bidirectional recurrent layers of any `RecurrentCellKind` over a padded,
/// time-major batch with the semantics of a packed sequence (`nn.LSTM` / `nn.GRU` / `nn.RNN` on
/// `pack_padded_sequence`), optionally with residual connections.
///
/// Rows are sentences with their own lengths: at step t only rows with t < length are active.
/// Padding neither reads nor writes state and its outputs are 0; the backward direction starts
/// at each sentence's own last token. That falls out of one rule: an inactive row writes h (and
/// c) = 0 at that step, which is exactly the initial state the reverse direction must start
/// from, and a forward row never needs its state after its end (the final state is read at its
/// last token). Every cell kernel follows the rule and passes no gradient back from such a row.
///
/// Residual connections (GNMT, Wu et al. 2016; the seeds' deep RNNs): from the second layer up,
/// a layer's output is its cell states plus its input, `y_l = h_l + x_l` (x_l after dropout),
/// so the gradient reaches lower layers through the identity as well as through the cells.
/// Final states are the cell states h of the top layer (without the residual), as `h_n` is.
///
/// Variational recurrent dropout (`RecurrentDropout`, training only): each layer and direction
/// masks h_{t−1} where it enters W_hh with one mask per sentence for all steps, purpose
/// `encoderRecurrentDropout(layer:direction:)`.
///
/// Speed: the input projections of all time steps are ONE GEMM per direction
/// ([S·B, in] × [in, G·H]); each step only multiplies the recurrent matrix; backward gathers
/// the weight gradients of all steps in one GEMM each, and the input gradient likewise.
package final class RecurrentStack: @unchecked Sendable {
    package let cell: RecurrentCellKind
    package let inputSize: Int
    package let hiddenSize: Int
    package let layers: Int
    package let directions: Int
    package let residual: Bool
    package let dropout: Dropout
    /// Variational dropout on h_{t−1} in the recurrent product of every layer and direction.
    package let recurrentDropout: RecurrentDropout
    /// `weights[layer][direction]`, direction 1 = reverse.
    package let weights: [[RecurrentWeights]]

    let ws = Workspace()
    let lengths = IndexBuffer()
    var steps = 0
    var batch = 0
    var training = false
    private var input: Matrix?

    /// Registers `prefix.weight_ih_l{l}[_reverse]`, `weight_hh`, `bias_ih`, `bias_hh` for every
    /// layer and direction, in PyTorch's order. Default init U(±1/√H) as PyTorch;
    /// `orthogonalRecurrent` makes each H×H gate block of `weight_hh` orthogonal instead.
    package init(_ parameters: ParameterSet, prefix: String, cell: RecurrentCellKind = .lstm, inputSize: Int,
                hiddenSize: Int, layers: Int = 1, bidirectional: Bool = true, residual: Bool = false,
                dropout: Float = 0, recurrentDropout: Float = 0, orthogonalRecurrent: Bool = false, rng: inout PCG32) {
        precondition(inputSize > 0 && hiddenSize > 0 && layers > 0, "RecurrentStack: sizes must be positive")
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.directions = bidirectional ? 2 : 1
        self.residual = residual
        self.dropout = Dropout(dropout)
        self.recurrentDropout = RecurrentDropout(recurrentDropout)
        let bound = 1 / Float(hiddenSize).squareRoot(), G = cell.gateCount
        var all: [[RecurrentWeights]] = []
        for l in 0..<layers {
            var perLayer: [RecurrentWeights] = []
            for d in 0..<directions {
                let suffix = "_l\(l)" + (d == 1 ? "_reverse" : "")
                let inSize = l == 0 ? inputSize : directions * hiddenSize
                let w = RecurrentWeights(
                    weightIH: parameters.add("\(prefix).weight_ih\(suffix)", shape: [G * hiddenSize, inSize]),
                    weightHH: parameters.add("\(prefix).weight_hh\(suffix)", shape: [G * hiddenSize, hiddenSize]),
                    biasIH: parameters.add("\(prefix).bias_ih\(suffix)", shape: [G * hiddenSize]),
                    biasHH: parameters.add("\(prefix).bias_hh\(suffix)", shape: [G * hiddenSize]))
                Initializer.uniform(bound).fill(w.weightIH.value, rng: &rng)
                if orthogonalRecurrent {
                    Initializer.orthogonal(blockRows: hiddenSize).fill(w.weightHH.value, rng: &rng)
                } else {
                    Initializer.uniform(bound).fill(w.weightHH.value, rng: &rng)
                }
                Initializer.uniform(bound).fill(w.biasIH.value, rng: &rng)
                Initializer.uniform(bound).fill(w.biasHH.value, rng: &rng)
                perLayer.append(w)
            }
            all.append(perLayer)
        }
        weights = all
    }

    package var outputSize: Int { directions * hiddenSize }

    func layerInputSize(_ l: Int) -> Int { l == 0 ? inputSize : outputSize }
    func residualAt(_ l: Int) -> Bool { residual && l > 0 }

    /// Runs all layers. `input` [S·B, in] time-major (row t·B + b), `lengths` [B] each in 1...S.
    /// Returns the top layer's outputs [S·B, dirs·H] (a view of internal storage, valid until
    /// the next forward); `[fwd ; bwd]` per row, 0 at padded positions. The input view must stay
    /// valid until `backward` (its values are needed for the weight gradient).
    ///
    /// `random` (one seed per row) draws the dropout between layers, purpose
    /// `encoderLayerDropout(layer: l)`, and the recurrent masks; it is needed only when training
    /// with either dropout, and inference passes none.
    @discardableResult
    package func forward(_ input: Matrix, steps: Int, batch: Int, lengths: UnsafePointer<Int32>, training: Bool,
                        random: SentenceRandom? = nil, precision: Precision = .fp32) -> Matrix {
        precondition(input.rows == steps * batch && input.cols == inputSize,
                     "RecurrentStack.forward: input \(input.rows)x\(input.cols), expected \(steps * batch)x\(inputSize)")
        let dropsBetweenLayers = training && dropout.isActive && layers > 1
        precondition(!(dropsBetweenLayers || training && recurrentDropout.isActive) || random?.count == batch,
                     "RecurrentStack.forward: dropout in training needs one sentence seed per row (\(batch)), got \(random?.count ?? 0)")
        self.steps = steps
        self.batch = batch
        self.training = training
        self.input = input
        let lens = self.lengths.reserve(batch)
        for b in 0..<batch {
            precondition(lengths[b] >= 1 && Int(lengths[b]) <= steps,
                         "RecurrentStack.forward: length \(lengths[b]) of row \(b) outside 1...\(steps)")
            lens[b] = lengths[b]
        }
        var x = input
        for l in 0..<layers {
            if l > 0 && training && dropout.isActive {
                let dropped = ws.matrix("x\(l)", rows: steps * batch, cols: outputSize)
                MatrixOps.copy(x, to: dropped)
                dropout.forward(dropped, mask: ws.matrix("mask\(l)", rows: steps * batch, cols: outputSize), random: random!,
                                purpose: SentenceRandom.Purpose.encoderLayerDropout(layer: l), batch: batch)
                x = dropped
            }
            let h = cellOutput(l)
            for d in 0..<directions {
                if training && recurrentDropout.isActive {
                    recurrentDropout.drawMask(recurrentMask(l, d), random: random!,
                                              purpose: SentenceRandom.Purpose.encoderRecurrentDropout(layer: l, direction: d))
                }
                forwardDirection(l, d, x: x, h: h, precision: precision)
            }
            if residualAt(l) {
                let y = layerOutput(l)
                MatrixOps.copy(h, to: y)
                MatrixOps.add(x, to: y)
            }
            x = layerOutput(l)
        }
        return x
    }

    /// Cell states h of layer l, `[fwd ; bwd]` per row [S·B, dirs·H].
    func cellOutput(_ l: Int) -> Matrix { ws.matrix("h\(l)", rows: steps * batch, cols: outputSize) }

    /// What layer l hands up: its cell states, plus its input with residual connections.
    func layerOutput(_ l: Int) -> Matrix {
        residualAt(l) ? ws.matrix("y\(l)", rows: steps * batch, cols: outputSize) : cellOutput(l)
    }

    /// The input a layer read in the last forward (after dropout).
    func layerInput(_ l: Int) -> Matrix {
        if l == 0 { return input! }
        if training && dropout.isActive { return ws.matrix("x\(l)", rows: steps * batch, cols: outputSize) }
        return layerOutput(l - 1)
    }

    /// Time steps in processing order of direction d.
    func order(_ d: Int) -> [Int] { d == 0 ? Array(0..<steps) : Array((0..<steps).reversed()) }

    /// Saved gate values of layer l, direction d [S·B, G·H] (activations after forward).
    func gates(_ l: Int, _ d: Int) -> Matrix {
        ws.matrix("gates\(l)_\(d)", rows: steps * batch, cols: cell.gateCount * hiddenSize)
    }

    /// GRU only: the recurrent products W_hh h of every step [S·B, 3H] (the reset gate needs
    /// them apart from W_ih x).
    func recurrentGates(_ l: Int, _ d: Int) -> Matrix { ws.matrix("gh\(l)_\(d)", rows: steps * batch, cols: 3 * hiddenSize) }

    /// Recurrent dropout (training): the sentence masks of layer l, direction d [B, H].
    func recurrentMask(_ l: Int, _ d: Int) -> Matrix { ws.matrix("recMask\(l)_\(d)", rows: batch, cols: hiddenSize) }

    /// Recurrent dropout of layer l, direction d in a training pass, or nil when off. Step t's
    /// masked operand h_{t−1} ⊙ m sits at row block t (the step that reads it), so the weight
    /// gradient pairs it with the same rows of gate gradients.
    func recurrentBuffers(_ l: Int, _ d: Int) -> RecurrentDropout.Buffers? {
        guard training && recurrentDropout.isActive else { return nil }
        return RecurrentDropout.Buffers(mask: recurrentMask(l, d), operands: ws.matrix("recH\(l)_\(d)", rows: steps * batch, cols: hiddenSize),
                                        scratch: ws.matrix("recScratch", rows: batch, cols: hiddenSize))
    }

    /// LSTM only: memory cells of every step [S·B, H].
    func memory(_ l: Int, _ d: Int) -> Matrix { ws.matrix("c\(l)_\(d)", rows: steps * batch, cols: hiddenSize) }

    /// A [B, H] block of zeros: the GRU's h_{t−1} before the first step (its kernel reads one).
    func zeroState() -> Matrix { ws.matrix("zeros", rows: batch, cols: hiddenSize, zeroed: true) }

    /// Final hidden states of the top layer [B, dirs·H]: forward after each row's last real
    /// token, reverse after token 0 (what `h_n` of a packed `nn.LSTM` holds).
    package func finalStates(into out: Matrix) {
        precondition(out.rows == batch && out.cols == outputSize, "RecurrentStack.finalStates: out \(out.rows)x\(out.cols)")
        let y = cellOutput(layers - 1)
        let H = hiddenSize
        for b in 0..<batch {
            let last = Int(lengths.pointer[b]) - 1
            out.row(b).update(from: y.row(last * batch + b), count: H)
            if directions == 2 { (out.row(b) + H).update(from: y.row(b) + H, count: H) }
        }
    }
}
