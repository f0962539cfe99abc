import S2SModel

extension Translator.Settings {
    /// The default `maxSourceTokens` of a model: twice the longest sequence it was trained on
    /// when its header says (`max_length`), else 250 tokens, where `s2s translate` cuts them
    /// (`DecodingArguments.defaultSourceCap` in the s2s target, which can call this instead),
    /// so the server translates a long line as the command line does.
    public static func defaultSourceCap(_ info: ModelInfo) -> Int {
        for key in ["max_length", "max_source_length"] {
            if let v = info.header[key].flatMap({ Int($0) }), v > 0 { return max(2 * v, 16) }
        }
        return 250
    }
}
