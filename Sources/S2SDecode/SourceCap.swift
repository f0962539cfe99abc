import S2SModel

extension Translator.Settings {
    /// The default `maxSourceTokens` of a model: twice the longest sequence it was trained on
    /// when its header says (`max_length`), else 250 tokens. Every front end (the command line,
    /// the server) cuts sources at the same place, so they translate a line the same way.
    public static func defaultSourceCap(_ info: ModelInfo) -> Int {
        for key in ["max_length", "max_source_length"] {
            if let v = info.header[key].flatMap({ Int($0) }), v > 0 { return max(2 * v, 16) }
        }
        return 250
    }
}
