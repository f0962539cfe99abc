import S2SModel
import S2SNumerics

/// int8-packed models (`s2s model pack --int8`): the decoder's per-step matrices
/// (`Seq2SeqModel.decodingMatrices`) are stored as I8 with one F32 scale per output row,
/// in a tensor named `int8_scale.<parameter>`; w ≈ scale[row] · q. The other parameters keep
/// the float storage. Loading dequantizes to fp32, so training, the encoder and fp32/bf16
/// decoding see ordinary values; int8 decoding quantizes them again and gets the stored
/// integers back (each row's largest |q| is 127, so the scale comes back too).
extension ModelBundle {
    /// Name prefix of the per-row scale tensors of I8 parameters.
    package static let int8ScalePrefix = "int8_scale."

    /// Replaces the decoding matrices in `file` by their I8 form and scales.
    static func storeInt8(_ model: Seq2SeqModel, in file: inout SafeTensorsFile) throws(ModelBundleError) {
        let matrices = model.decodingMatrices
        for p in model.parameters.all where matrices.contains(where: { $0 === p.value }) {
            let (q, scales) = QuantizedWeight.quantizeRows(p.value)
            do {
                try file.set(p.name, integers: q.map { Int64($0) }, shape: p.value.shape, as: .i8)
            } catch {
                throw .file(error)
            }
            file.set(int8ScalePrefix + p.name, Tensor(shape: [scales.count], values: scales), as: .f32)
        }
    }

    /// The fp32 values of parameter `name`: dequantized when stored as I8, else as stored.
    /// Throws a `SafeTensorsError` (a missing scale tensor, a wrong shape) or a `ModelBundleError`.
    static func parameterValues(_ name: String, in file: SafeTensorsFile, info: ModelInfo) throws -> Tensor {
        guard file.dtype(of: name) == .i8 else { return try file.tensor(name) }
        guard let shape = file.shape(of: name), shape.count == 2 else {
            throw ModelBundleError.notAModel(path: info.path, reason: "I8 parameter '\(name)' is not a matrix")
        }
        let q = try file.integers(name)
        let scales = try file.tensor(int8ScalePrefix + name, shape: [shape[0]])
        let t = Tensor(shape: shape)
        for r in 0..<shape[0] {
            let s = scales.data[r]
            for c in 0..<shape[1] { t.data[r * shape[1] + c] = Float(q[r * shape[1] + c]) * s }
        }
        return t
    }

    /// Checks that a scale tensor belongs to an I8 parameter (an orphan means a damaged file).
    static func checkInt8Scale(_ name: String, in file: SafeTensorsFile, info: ModelInfo) throws(ModelBundleError) {
        let matrix = String(name.dropFirst(int8ScalePrefix.count))
        guard file.dtype(of: matrix) == .i8 else {
            throw .notAModel(path: info.path, reason: "'\(name)' scales '\(matrix)', which is not an I8 parameter")
        }
    }

    /// The names of the I8 parameters of a file, sorted.
    static func int8Parameters(of file: SafeTensorsFile) -> [String] {
        file.names.filter { file.dtype(of: $0) == .i8 }
    }
}
