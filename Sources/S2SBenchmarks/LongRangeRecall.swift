import S2SLayers
import S2SNumerics
import S2STraining

/// The seeds' point about vanishing gradients (Goodfellow et al. §10.7), as an experiment: a
/// recurrent layer reads a sequence whose FIRST token is one of K classes and whose other L − 1
/// tokens are distractors (by default one blank token, as in the copying-memory task), and must
/// name the class from its LAST state.
///
/// The information has to travel through L − 1 applications of the cell, and so does the
/// gradient that teaches the cell to carry it. Through the vanilla cell that gradient is
/// multiplied at each step by `diag(1 − h²) W`, and at L = 50 or 100 it is gone: the cell stays
/// at chance. The gated cells pass it along their direct paths (`s_{t−1} ⊙ (1 − g)`, the LSTM's
/// `c_{t−1} ⊙ f`, the GRU's `h_{t−1} ⊙ z`) and learn. A translation model would not show this:
/// its attention reaches every source position directly, which is why the experiment uses the
/// recurrent layer alone (one direction, embeddings → cell → linear classifier on h_L).
package struct LongRangeRecall: Sendable {
    package struct Options: Sendable {
        package var cell: RecurrentCellKind
        package var length: Int
        package var classes = 8
        package var distractors = 1
        package var embedding = 16
        package var hidden = 64
        package var batch = 32
        package var steps = 1500
        package var learningRate: Float = 3e-3
        /// Adam rescales every parameter's gradient to a step of about the learning rate, so it
        /// partly undoes a vanishing gradient (whose direction may still be right); plain SGD
        /// with momentum moves each parameter in proportion to its gradient, the setting in which
        /// Bengio et al. (1994) and Hochreiter (1991) analysed the problem.
        package var optimizer: TrainingOptions.OptimizerKind = .adam
        package var momentum: Float = 0.9
        package var clip: Float = 1
        package var evaluationSize = 512
        /// Added to the bias of the gate that keeps the state (the LSTM's forget gate, the GRU's
        /// update gate z; subtracted from the simple gated cell's g), so the cell starts out
        /// remembering: Gers et al.'s and Jozefowicz et al.'s forget-gate bias of 1. The vanilla
        /// cell has no such gate. 0 = PyTorch's initialization.
        package var keepGateBias: Float = 0
        package var seed: UInt64 = 1

        package init(cell: RecurrentCellKind, length: Int) {
            self.cell = cell
            self.length = length
        }
    }

    package struct Result: Sendable {
        package let options: Options
        /// Share of held-out sequences whose class the trained model names.
        package let accuracy: Double
        package var chance: Double { 1 / Double(options.classes) }
        /// Mean training loss over the last tenth of the updates.
        package let finalLoss: Double
        /// Mean over a batch of ‖∂L/∂x_t‖ for t = L−1 … 0 (index = distance from the last step),
        /// at initialization and after training.
        package let initialGradientNorms: [Double]
        package let trainedGradientNorms: [Double]
    }

    let options: Options
    private let parameters = ParameterSet()
    private let embedding: Embedding
    private let layer: RecurrentStack
    private let classifier: Linear
    private let ws = Workspace()

    package init(_ options: Options) {
        precondition(options.length >= 2 && options.classes >= 2 && options.batch >= 1, "LongRangeRecall: bad options")
        self.options = options
        var rng = PCG32(seed: options.seed)
        embedding = Embedding(parameters, prefix: "emb", vocabulary: 1 + options.classes + options.distractors,
                              dimension: options.embedding, rng: &rng)
        layer = RecurrentStack(parameters, prefix: "rnn", cell: options.cell, inputSize: options.embedding,
                               hiddenSize: options.hidden, layers: 1, bidirectional: false, rng: &rng)
        classifier = Linear(parameters, prefix: "out", input: options.hidden, output: options.classes, rng: &rng)
        let H = options.hidden, bias = layer.weights[0][0].biasIH.value
        let (block, sign): (Int?, Float) = switch options.cell {
        case .rnn: (nil, 0)
        case .gated: (0, -1)   // s_t = (1 − g) s_{t−1} + g u: g → 0 keeps
        case .lstm: (1, 1)     // blocks i, f, g, o: f → 1 keeps
        case .gru: (1, 1)      // blocks r, z, n: z → 1 keeps
        }
        if let block, options.keepGateBias != 0 {
            for j in 0..<H { bias[block * H + j] += sign * options.keepGateBias }
            bias.bumpVersion()
        }
    }

    /// Sequences time-major (row t·B + b): token 0 is class c ∈ 1…K, the rest distractors.
    /// Targets are c − 1.
    private func sample(_ B: Int, _ rng: inout PCG32) -> (tokens: [Int32], targets: [Int32]) {
        let K = options.classes, L = options.length
        var tokens = [Int32](repeating: 0, count: L * B), targets = [Int32](repeating: 0, count: B)
        for b in 0..<B {
            let c = Int32(rng.nextUInt32() % UInt32(K))
            targets[b] = c
            tokens[b] = c + 1
            for t in 1..<L { tokens[t * B + b] = Int32(1 + K) + Int32(rng.nextUInt32() % UInt32(options.distractors)) }
        }
        return (tokens, targets)
    }

    /// Forward (and, with `backward`, the gradient into every parameter and into the inputs,
    /// whose per-position norms are returned). Returns the summed loss and the correct count.
    private func pass(_ tokens: [Int32], _ targets: [Int32], backward: Bool) -> (loss: Double, correct: Int, norms: [Double]) {
        let B = targets.count, L = options.length, E = options.embedding, H = options.hidden, K = options.classes
        let x = ws.matrix("x", rows: L * B, cols: E)
        tokens.withUnsafeBufferPointer { embedding.forward(ids: $0.baseAddress!, count: L * B, into: x) }
        let lengths = [Int32](repeating: Int32(L), count: B)
        _ = lengths.withUnsafeBufferPointer { layer.forward(x, steps: L, batch: B, lengths: $0.baseAddress!, training: false) }
        let finals = ws.matrix("finals", rows: B, cols: H)
        layer.finalStates(into: finals)
        let logits = ws.matrix("logits", rows: B, cols: K)
        classifier.forward(finals, into: logits)
        var correct = 0
        for b in 0..<B {
            let row = logits.row(b)
            var best = 0
            for k in 1..<K where row[k] > row[best] { best = k }
            if best == Int(targets[b]) { correct += 1 }
        }
        let dLogits = backward ? ws.matrix("dLogits", rows: B, cols: K) : nil
        let ce = SoftmaxCrossEntropy(ignoreIndex: -1)
        let (loss, _) = targets.withUnsafeBufferPointer { ce.evaluate(logits: logits, targets: $0.baseAddress!, gradient: dLogits) }
        guard let dLogits else { return (loss / Double(B), correct, []) }
        let dFinals = ws.matrix("dFinals", rows: B, cols: H)
        classifier.backward(x: finals, dy: dLogits, dx: dFinals)
        let dx = ws.matrix("dx", rows: L * B, cols: E)
        layer.backward(dOutput: ws.matrix("dOut", rows: L * B, cols: H, zeroed: true), dFinal: dFinals, dInput: dx)
        tokens.withUnsafeBufferPointer { embedding.backward(ids: $0.baseAddress!, count: L * B, dy: dx) }
        var norms = [Double](repeating: 0, count: L)
        for t in 0..<L {
            var sum = 0.0
            for b in 0..<B {
                let row = dx.row(t * B + b)
                var s = 0.0
                for j in 0..<E { s += Double(row[j]) * Double(row[j]) }
                sum += s.squareRoot()
            }
            norms[L - 1 - t] = sum / Double(B)
        }
        return (loss / Double(B), correct, norms)
    }

    /// Trains for `options.steps` Adam updates with gradient-norm clipping, reporting
    /// (update, mean loss of the last 100) every 100 updates.
    package func run(progress: (Int, Double) -> Void = { _, _ in }) -> Result {
        var rng = PCG32(seed: options.seed &+ 1)
        let probe = sample(options.batch, &rng)
        parameters.zeroGrad()
        let initial = pass(probe.tokens, probe.targets, backward: true).norms
        let optimizer: any Optimizer = options.optimizer == .adam ? Adam() : SGD(momentum: options.momentum)
        var recent: [Double] = []
        for step in 1...options.steps {
            let (tokens, targets) = sample(options.batch, &rng)
            parameters.zeroGrad()
            let r = pass(tokens, targets, backward: true)
            GradientClipping.clipGlobalNorm(parameters, maxNorm: options.clip)
            optimizer.step(parameters, lr: options.learningRate)
            recent.append(r.loss)
            if step % 100 == 0 {
                progress(step, recent.suffix(100).reduce(0, +) / Double(min(100, recent.count)))
            }
        }
        parameters.zeroGrad()
        let trained = pass(probe.tokens, probe.targets, backward: true).norms
        var evalRNG = PCG32(seed: options.seed &+ 99)
        var correct = 0, seen = 0
        while seen < options.evaluationSize {
            let n = min(options.batch * 4, options.evaluationSize - seen)
            let (tokens, targets) = sample(n, &evalRNG)
            correct += pass(tokens, targets, backward: false).correct
            seen += n
        }
        let tail = recent.suffix(max(1, options.steps / 10))
        return Result(options: options, accuracy: Double(correct) / Double(seen), finalLoss: tail.reduce(0, +) / Double(tail.count),
                      initialGradientNorms: initial, trainedGradientNorms: trained)
    }
}
