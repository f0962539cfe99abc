import S2SNumerics

/// The four parameters of one direction of one LSTM layer (PyTorch names and layout; gate row
/// blocks i, f, g, o).
public struct LSTMWeights: Sendable {
    public let weightIH: Parameter  // [4H, in]
    public let weightHH: Parameter  // [4H, H]
    public let biasIH: Parameter    // [4H]
    public let biasHH: Parameter    // [4H]
}

/// A stacked, optionally bidirectional LSTM over a padded, time-major batch with the semantics
/// of a packed sequence (`nn.LSTM` on `pack_padded_sequence`).
///
/// Rows are sentences with their own lengths: at step t only rows with t < length are active.
/// Padding neither reads nor writes state and its outputs are 0; the backward direction starts
/// at each sentence's own last token. That falls out of one rule: an inactive row writes h = c = 0
/// at that step, which is exactly the initial state the reverse direction must start from, and
/// a forward row never needs its state after its end (the final state is read at its last token).
///
/// Speed: the input projections of all time steps are ONE GEMM per direction
/// ([S·B, in] × [in, 4H]); each step only multiplies the recurrent matrix; backward gathers
/// the weight gradients of all steps in one GEMM each, and the input gradient likewise.
public final class LSTM: @unchecked Sendable {
    public let inputSize: Int
    public let hiddenSize: Int
    public let layers: Int
    public let directions: Int
    public let dropout: Dropout
    /// `weights[layer][direction]`, direction 1 = reverse.
    public let weights: [[LSTMWeights]]

    private let ws = Workspace()
    private let lengths = IndexBuffer()
    private var steps = 0
    private var batch = 0
    private var training = false
    private var input: Matrix?

    /// Registers `prefix.weight_ih_l{l}[_reverse]`, `weight_hh`, `bias_ih`, `bias_hh` for every
    /// layer and direction, in PyTorch's order. Default init U(±1/√H) as PyTorch;
    /// `orthogonalRecurrent` makes each H×H gate block of `weight_hh` orthogonal instead.
    public init(_ parameters: ParameterSet, prefix: String, inputSize: Int, hiddenSize: Int, layers: Int = 1,
                bidirectional: Bool = true, dropout: Float = 0, orthogonalRecurrent: Bool = false,
                rng: inout PCG32) {
        precondition(inputSize > 0 && hiddenSize > 0 && layers > 0, "LSTM: sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.directions = bidirectional ? 2 : 1
        self.dropout = Dropout(dropout)
        let bound = 1 / Float(hiddenSize).squareRoot()
        var all: [[LSTMWeights]] = []
        for l in 0..<layers {
            var perLayer: [LSTMWeights] = []
            for d in 0..<directions {
                let suffix = "_l\(l)" + (d == 1 ? "_reverse" : "")
                let inSize = l == 0 ? inputSize : directions * hiddenSize
                let w = LSTMWeights(
                    weightIH: parameters.add("\(prefix).weight_ih\(suffix)", shape: [4 * hiddenSize, inSize]),
                    weightHH: parameters.add("\(prefix).weight_hh\(suffix)", shape: [4 * hiddenSize, hiddenSize]),
                    biasIH: parameters.add("\(prefix).bias_ih\(suffix)", shape: [4 * hiddenSize]),
                    biasHH: parameters.add("\(prefix).bias_hh\(suffix)", shape: [4 * hiddenSize]))
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

    public var outputSize: Int { directions * hiddenSize }

    private func layerInputSize(_ l: Int) -> Int { l == 0 ? inputSize : outputSize }

    /// Runs all layers. `input` [S·B, in] time-major (row t·B + b), `lengths` [B] each in 1...S.
    /// Returns the top layer's outputs [S·B, dirs·H] (a view of internal storage, valid until
    /// the next forward); `[fwd ; bwd]` per row, 0 at padded positions. The input view must stay
    /// valid until `backward` (its values are needed for the weight gradient).
    ///
    /// `random` (one seed per row) draws the dropout between layers, purpose
    /// `encoderLayerDropout(layer: l)`; it is needed only when training with dropout and more
    /// than one layer, and inference passes none.
    @discardableResult
    public func forward(_ input: Matrix, steps: Int, batch: Int, lengths: UnsafePointer<Int32>, training: Bool,
                        random: SentenceRandom? = nil, precision: Precision = .fp32) -> Matrix {
        precondition(input.rows == steps * batch && input.cols == inputSize,
                     "LSTM.forward: input \(input.rows)x\(input.cols), expected \(steps * batch)x\(inputSize)")
        let dropsBetweenLayers = training && dropout.isActive && layers > 1
        precondition(!dropsBetweenLayers || random?.count == batch,
                     "LSTM.forward: dropout in training needs one sentence seed per row (\(batch)), got \(random?.count ?? 0)")
        self.steps = steps
        self.batch = batch
        self.training = training
        self.input = input
        let lens = self.lengths.reserve(batch)
        for b in 0..<batch {
            precondition(lengths[b] >= 1 && Int(lengths[b]) <= steps, "LSTM.forward: length \(lengths[b]) of row \(b) outside 1...\(steps)")
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
            let y = ws.matrix("y\(l)", rows: steps * batch, cols: outputSize)
            for d in 0..<directions { forwardDirection(l, d, x: x, y: y, precision: precision) }
            x = y
        }
        return x
    }

    /// The input a layer read in the last forward (after dropout).
    private func layerInput(_ l: Int) -> Matrix {
        if l == 0 { return input! }
        if training && dropout.isActive { return ws.matrix("x\(l)", rows: steps * batch, cols: outputSize) }
        return ws.matrix("y\(l - 1)", rows: steps * batch, cols: outputSize)
    }

    private func order(_ d: Int) -> [Int] { d == 0 ? Array(0..<steps) : Array((0..<steps).reversed()) }

    private func forwardDirection(_ l: Int, _ d: Int, x: Matrix, y: Matrix, precision: Precision) {
        let w = weights[l][d], H = hiddenSize, B = batch
        let gates = ws.matrix("gates\(l)_\(d)", rows: steps * B, cols: 4 * H)
        let cells = ws.matrix("c\(l)_\(d)", rows: steps * B, cols: H)
        let bias = ws.pointer("bias\(l)_\(d)", count: 4 * H)
        for j in 0..<4 * H { bias[j] = w.biasIH.value[j] + w.biasHH.value[j] }
        let out = y.columns(d * H, H)
        Matmul.gemm(x, w.weightIH.value.matrix, transB: true, into: gates, precision: precision)
        var prev: Int? = nil
        for t in order(d) {
            let g = gates.rows(t * B, B)
            if let p = prev {
                Matmul.gemm(out.rows(p * B, B), weight: w.weightHH.value, transB: true, into: g, beta: 1, precision: precision)
            }
            RNNCellKernels.lstmForward(gates: g, bias: bias, cPrev: prev.map { cells.rows($0 * B, B) },
                                       c: cells.rows(t * B, B), h: out.rows(t * B, B), lengths: lengths.pointer, t: t)
            prev = t
        }
    }

    /// Final hidden states of the top layer [B, dirs·H]: forward after each row's last real
    /// token, reverse after token 0 (what `h_n` of a packed `nn.LSTM` holds).
    public func finalStates(into out: Matrix) {
        precondition(out.rows == batch && out.cols == outputSize, "LSTM.finalStates: out \(out.rows)x\(out.cols)")
        let y = ws.matrix("y\(layers - 1)", rows: steps * batch, cols: outputSize)
        let H = hiddenSize
        for b in 0..<batch {
            let last = Int(lengths.pointer[b]) - 1
            out.row(b).update(from: y.row(last * batch + b), count: H)
            if directions == 2 { (out.row(b) + H).update(from: y.row(b) + H, count: H) }
        }
    }

    /// Backpropagates through all layers and steps. `dOutput` [S·B, dirs·H] is the gradient on
    /// the top outputs (not modified), `dFinal` [B, dirs·H] the gradient on `finalStates`.
    /// Accumulates every weight gradient; writes `dInput` [S·B, in] when given.
    public func backward(dOutput: Matrix, dFinal: Matrix?, dInput: Matrix?, precision: Precision = .fp32) {
        let B = batch, H = hiddenSize, rows = steps * batch
        precondition(dOutput.rows == rows && dOutput.cols == outputSize, "LSTM.backward: dOutput \(dOutput.rows)x\(dOutput.cols), expected \(rows)x\(outputSize)")
        var dy = ws.matrix("dy\(layers - 1)", rows: rows, cols: outputSize)
        MatrixOps.copy(dOutput, to: dy)
        if let dFinal {
            precondition(dFinal.rows == B && dFinal.cols == outputSize, "LSTM.backward: dFinal \(dFinal.rows)x\(dFinal.cols)")
            for b in 0..<B {
                let last = Int(lengths.pointer[b]) - 1
                Kernels.axpy(1, dFinal.row(b), dy.row(last * B + b), count: H)
                if directions == 2 { Kernels.axpy(1, dFinal.row(b) + H, dy.row(b) + H, count: H) }
            }
        }
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let dx: Matrix? = l == 0 ? dInput : ws.matrix("dy\(l - 1)", rows: rows, cols: outputSize)
            if let dx { precondition(dx.rows == rows && dx.cols == layerInputSize(l), "LSTM.backward: dInput \(dx.rows)x\(dx.cols)") }
            for d in 0..<directions { backwardDirection(l, d, dy: dy, dx: dx, precision: precision) }
            if l > 0 {
                dy = dx!
                if training && dropout.isActive { dropout.backward(dy, mask: ws.matrix("mask\(l)", rows: rows, cols: outputSize)) }
            }
        }
    }

    private func backwardDirection(_ l: Int, _ d: Int, dy: Matrix, dx: Matrix?, precision: Precision) {
        let w = weights[l][d], H = hiddenSize, B = batch
        let gates = ws.matrix("gates\(l)_\(d)", rows: steps * B, cols: 4 * H)
        let cells = ws.matrix("c\(l)_\(d)", rows: steps * B, cols: H)
        let out = ws.matrix("y\(l)", rows: steps * B, cols: outputSize).columns(d * H, H)
        let dyd = dy.columns(d * H, H)
        let dc = ws.matrix("dc", rows: B, cols: H, zeroed: true)
        let dhRec = ws.matrix("dhrec", rows: B, cols: H)
        let fwd = order(d)
        var haveRec = false
        for k in stride(from: steps - 1, through: 0, by: -1) {
            let t = fwd[k]
            let prev: Int? = k > 0 ? fwd[k - 1] : nil
            let g = gates.rows(t * B, B)
            RNNCellKernels.lstmBackward(gates: g, c: cells.rows(t * B, B), cPrev: prev.map { cells.rows($0 * B, B) },
                                        dy: dyd.rows(t * B, B), dhRec: haveRec ? dhRec : nil, dc: dc,
                                        lengths: lengths.pointer, t: t)
            if prev != nil {
                Matmul.gemm(g, weight: w.weightHH.value, into: dhRec, precision: precision)
                haveRec = true
            }
        }
        let x = layerInput(l)
        if let dx { Matmul.gemm(gates, w.weightIH.value.matrix, into: dx, beta: d == 0 ? 0 : 1, precision: precision) }
        Matmul.gemm(gates, transA: true, x, into: w.weightIH.grad.matrix, beta: 1, precision: precision)
        if steps > 1 {
            // Step t's recurrent input is the output of the step before it in processing order.
            let n = (steps - 1) * B
            let dg = d == 0 ? gates.rows(B, n) : gates.rows(0, n)
            let hp = d == 0 ? out.rows(0, n) : out.rows(B, n)
            Matmul.gemm(dg, transA: true, hp, into: w.weightHH.grad.matrix, beta: 1, precision: precision)
        }
        Kernels.sumRows(gates, into: w.biasIH.grad.data, accumulate: true)
        Kernels.sumRows(gates, into: w.biasHH.grad.data, accumulate: true)
    }
}
