import S2SModel
/// Floating-point operation counts of the model, for reporting achieved GFLOP/s.
///
/// Counts multiply-adds as 2 FLOPs, every sentence at full length (the benchmark's workload).
/// A training step is counted as 3× the forward pass (backward runs two products — input
/// gradient and weight gradient — per forward product), the usual convention.
package enum Seq2SeqFlops {
    /// Forward FLOPs of one padded batch: GEMMs plus the attention's score and context loops.
    package static func forward(config c: ModelConfig, batch B: Int, sourceLength S: Int, targetLength T: Int) -> Double {
        let b = Double(B), s = Double(S), t = Double(T)
        let E = Double(c.embedding), H = Double(c.hidden), Hd = Double(c.decoderHidden), D = Double(c.encoderOutput)
        let A = Double(c.attention.usesAttentionSize ? c.attentionSize : c.decoderHidden)
        var f = 0.0
        let G = Double(c.encoderCell.gateCount)
        for l in 0..<c.layers {
            let input = l == 0 ? E : D
            f += 2 * 2 * s * b * input * G * H              // input projections, both directions
            f += 2 * 2 * max(s - 1, 0) * b * H * G * H      // recurrent products
        }
        f += 2 * b * D * Hd                                 // bridge
        if c.attention != .dot { f += 2 * b * s * D * A }  // keys
        let Gd = Double(c.decoderCell.gateCount), Ld = Double(c.decoderLayers)
        f += t * 2 * b * Double(c.decoderInput) * Gd * Hd   // first decoder layer's input product
        f += t * 2 * b * (Ld - 1) * Hd * Gd * Hd           // upper layers' input products
        f += t * 2 * b * Ld * Hd * Gd * Hd                  // recurrent products
        if c.attention.usesAttentionSize { f += t * 2 * b * Hd * A }   // query projection
        f += t * (2 * b * s * A + 2 * b * s * D)            // scores and context
        if c.tying.tiesOutput {   // out_proj, then the embedding matrix
            f += 2 * b * t * (Double(c.outputInput) + Double(c.targetVocabulary)) * Double(c.embedding)
        } else {
            f += 2 * b * t * Double(c.outputInput) * Double(c.targetVocabulary)  // output layer
        }
        return f
    }

    /// FLOPs of a training step (forward + backward).
    package static func trainingStep(config: ModelConfig, batch: Int, sourceLength: Int, targetLength: Int) -> Double {
        3 * forward(config: config, batch: batch, sourceLength: sourceLength, targetLength: targetLength)
    }
}
