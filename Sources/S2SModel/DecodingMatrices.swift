import S2SLayers
import S2SNumerics

extension Seq2SeqModel {
    /// The weights the decoder multiplies at every output step (`Seq2SeqDecoding`'s
    /// `DecodingWeight`s): each layer's W_ih and W_hh, the additive attention's query, the
    /// output layer (the target embedding when tied) and its projection. These are the matrices
    /// `s2s model pack --int8` stores in int8; the encoder's stay in the float storage.
    package var decodingMatrices: [Tensor] {
        var all: [Tensor] = []
        for cell in decoder.cells {
            all.append(cell.weightIH.value)
            all.append(cell.weightHH.value)
        }
        if let additive = decoder.attention as? AdditiveAttention { all.append(additive.query.weight.value) }
        all.append(decoder.output.vocabulary.weight.value)
        if let projection = decoder.output.projection { all.append(projection.weight.value) }
        return all
    }
}
