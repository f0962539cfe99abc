import S2SLayers
import S2SNumerics

/// Where training drops units, each site with its own rate (Nematus and Joey NMT separate them:
/// the best recurrent Multi30k systems drop embeddings lightly and the context and output layer
/// heavily). `ModelConfig.dropout` is the rate of every site not given its own.
///
///     embedding  x = src_emb[y] ⊙ m, e = tgt_emb[y] ⊙ m                  [·, E] per element
///     word       the same vectors, whole rows: m_row ∈ {0, 1/(1−p)}        (Gal & Ghahramani 2016)
///     layer      the input of every stacked layer above the first          [·, H] / [·, Hd]
///     context    the encoder outputs the attention reads (keys, context)   [S·B, 2H]
///     output     F = [o ; ctx ; e], the output layer's input               [T·B, Hd + 2H + E]
///     recurrent  h_{t−1} where it enters W_hh, one mask per sentence and    [B, H] / [B, Hd]
///                layer (and direction), the same at every step             (Gal & Ghahramani 2016)
///
/// Each is inverted dropout with its mask kept for backward (`dx = dy ⊙ m`); a word mask
/// multiplies into the embedding mask, so their product is one mask and one backward. The
/// recurrent site is the cells' business (`RecurrentDropout`); it is off unless given.
package struct DropoutRates: Sendable, Equatable {
    package var embedding: Float
    package var word: Float
    package var layer: Float
    package var context: Float
    package var output: Float
    package var recurrent: Float

    package init(embedding: Float, word: Float, layer: Float, context: Float, output: Float, recurrent: Float = 0) {
        self.embedding = embedding
        self.word = word
        self.layer = layer
        self.context = context
        self.output = output
        self.recurrent = recurrent
    }

    /// Every site's rate at zero: evaluation, decoding.
    package static let off = DropoutRates(embedding: 0, word: 0, layer: 0, context: 0, output: 0)

    /// Whether the embeddings carry a mask (element or word dropout).
    package var masksEmbeddings: Bool { embedding > 0 || word > 0 }

    /// One figure when every site shares it, else each site's.
    package var summary: String {
        let rec = recurrent > 0 ? ", rec \(recurrent)" : ""
        if word == 0 && context == 0 && embedding == layer && layer == output { return "\(embedding)" + rec }
        return "emb \(embedding), word \(word), layer \(layer), ctx \(context), out \(output)" + rec
    }

    /// The rates of a training pass (`training`) or none.
    package func when(_ training: Bool) -> DropoutRates { training ? self : .off }

    /// Draws the embedding mask [T·B, E] time-major: element dropout, then whole rows (words).
    func drawEmbeddingMask(_ mask: Matrix, random: SentenceRandom, elementPurpose: UInt64, wordPurpose: UInt64, batch B: Int) {
        if embedding > 0 {
            Dropout(embedding).drawMask(mask, random: random, purpose: elementPurpose, batch: B)
        } else {
            // Word dropout alone: no element draws (each purpose has its own generators, so
            // skipping them changes no other mask).
            for r in 0..<mask.rows { mask.row(r).update(repeating: 1, count: mask.cols) }
        }
        guard word > 0 else { return }
        let keep = 1 / (1 - word)
        for r in 0..<mask.rows {
            var rng = random.generator(purpose: wordPurpose, row: r % B, step: r / B)
            let scale: Float = rng.nextUnitFloat() < word ? 0 : keep
            let m = mask.row(r)
            for j in 0..<mask.cols { m[j] *= scale }
        }
    }
}

extension ModelConfig {
    /// The rate of each site: its own when given, else `dropout` (word and context default to 0).
    package var dropoutRates: DropoutRates {
        DropoutRates(embedding: embeddingDropout ?? dropout, word: wordDropout, layer: layerDropout ?? dropout,
                     context: contextDropout, output: outputDropout ?? dropout, recurrent: recurrentDropout)
    }
}
