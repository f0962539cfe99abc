/// A sacrebleu 2.6.0 signature ("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"):
/// the global fields in sacrebleu's order (nrefs, bs, ar, seed), the metric's own fields, and
/// the version last; `short` gives sacrebleu's `--short` form ("#:1|c:mixed|…|v:2.6.0").
package struct SacreBLEUSignature: Sendable, Equatable {
    /// One field: its name, its `--short` abbreviation, its value.
    package struct Field: Sendable, Equatable {
        package let name: String
        package let short: String
        package let value: String

        package init(_ name: String, short: String? = nil, _ value: String) {
            self.name = name
            self.short = short ?? SacreBLEUSignature.abbreviations[name] ?? name
            self.value = value
        }
    }

    package var fields: [Field]

    /// sacrebleu's shared abbreviations, and those BLEU and chrF share ("tok" differs for TER).
    static let abbreviations = [
        "version": "v", "nrefs": "#", "bs": "bs", "ar": "ar", "seed": "rs",
        "case": "c", "eff": "e", "tok": "tok", "smooth": "s", "nc": "nc", "nw": "nw", "space": "s",
        "norm": "nr", "punct": "pn", "asian": "as",
    ]

    /// `references`: sacrebleu's nrefs; `extra`: the test fields (bs, ar, seed) in that order;
    /// `fields`: the metric's own.
    package init(references: Int, extra: [(String, String)] = [], fields: [Field]) {
        var all = [Field("nrefs", "\(references)")]
        // sacrebleu's order for the test fields, whatever order they come in.
        let rank = ["bs": 0, "ar": 1, "seed": 2]
        all += extra.sorted { rank[$0.0, default: 3] < rank[$1.0, default: 3] }.map { Field($0.0, $0.1) }
        all += fields
        all.append(Field("version", SacreBLEU.version))
        self.fields = all
    }

    package func format(short: Bool = false) -> String {
        fields.map { "\(short ? $0.short : $0.name):\($0.value)" }.joined(separator: "|")
    }
}
