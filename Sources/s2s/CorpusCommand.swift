import ArgumentParser
import S2SCorpus
#if canImport(Glibc)
import Glibc
#endif

/// `s2s corpus …`: import, split, inspect, export and remove parallel corpora in one SQLite file.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Import, split, inspect and export parallel corpora in a SQLite database.",
        subcommands: [CorpusImport.self, CorpusSplit.self, CorpusList.self, CorpusStatsCommand.self,
                      CorpusExport.self, CorpusRemove.self]
    )
}

/// The database every corpus subcommand works on.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "The corpus database.")
    var db: String = CorpusStore.defaultPath
}

extension Split: ExpressibleByArgument {}
extension LengthUnit: ExpressibleByArgument {}

struct CorpusImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import sentence pairs in one transaction (all or nothing).",
        discussion: """
        Either two aligned files (--src and --tgt, line i translates line i) or a TSV file with \
        source in column 1 and target in column 2 (--tsv, '-' for stdin; further columns are ignored). \
        Exact duplicate pairs and pairs with an empty side are skipped and counted. Ctrl-C leaves \
        the database as it was.
        """
    )

    @OptionGroup var database: DatabaseOption
    @Argument(help: "Corpus name (letters, digits, '.', '_', '-').") var name: String
    @Option(help: "Source-side file of an aligned pair of files.") var src: String?
    @Option(help: "Target-side file of an aligned pair of files.") var tgt: String?
    @Option(help: "TSV file (source<TAB>target), '-' for stdin.") var tsv: String?
    @Option(name: .customLong("src-lang"), help: "Source language code (required for a new corpus).") var srcLang: String?
    @Option(name: .customLong("tgt-lang"), help: "Target language code (required for a new corpus).") var tgtLang: String?
    @Option(help: "Split for every imported pair: train, valid or test.") var split: Split = .train
    @Flag(help: "Add to an existing corpus of this name.") var append = false
    @Option(name: .customLong("max-len"), help: "Skip pairs with a side longer than this.") var maxLen: Int?
    @Option(name: .customLong("max-ratio"), help: "Skip pairs whose longer side exceeds the shorter this many times.") var maxRatio: Double?
    @Option(name: .customLong("len-unit"), help: "Unit of --max-len/--max-ratio: words (as the ICU tokenizer of each side's language segments them, punctuation not counted) or chars.") var lenUnit: LengthUnit = .words
    @Flag(name: .customLong("skip-bad"), help: "Skip (and count) TSV lines without a tab instead of failing.") var skipBad = false
    @Flag(name: .customLong("keep-duplicates"), help: "Import exact duplicates too (e.g. an official test set, line for line).") var keepDuplicates = false
    @Option(help: "Provenance note for a new corpus (default: the input paths).") var origin: String?
    @Option(help: "License note for a new corpus.") var license: String = ""

    func validate() throws {
        switch (src, tgt, tsv) {
        case (.some, .some, nil), (nil, nil, .some): break
        default: throw ValidationError("give either --src and --tgt, or --tsv")
        }
    }

    func run() throws {
        let source: ImportSource = if let tsv { .tsv(path: tsv) } else { .alignedFiles(source: src ?? "", target: tgt ?? "") }
        let options = ImportOptions(corpus: name, sourceLanguage: srcLang, targetLanguage: tgtLang, split: split,
                                    append: append, origin: origin, license: license, maxLength: maxLen,
                                    maxRatio: maxRatio, lengthUnit: lenUnit, skipBad: skipBad, keepDuplicates: keepDuplicates)
        Interrupt.installHandler()
        let store = try CorpusStore(path: database.db, mode: .create)
        let report: ImportReport
        do {
            report = try store.importPairs(from: source, options: options)
        } catch {
            guard error == .interrupted else { throw error }
            CorpusOutput.error("s2s corpus import: \(error)")
            throw ExitCode(130)
        }
        print("imported \(report.imported) pairs into '\(name)' (\(split.rawValue)) in \(CorpusOutput.fixed(report.seconds, 2)) s, \(Int(report.pairsPerSecond)) pairs/s")
        print("  read \(report.read), imported \(report.imported), duplicates \(report.duplicates), empty \(report.empty)"
            + ", too long \(report.tooLong), bad ratio \(report.badRatio), bad lines \(report.badLines)")
        if report.duplicates > 0 && split != .train {
            CorpusOutput.error("note: \(report.duplicates) duplicate pairs were skipped; to import a held-out set line for line, use --keep-duplicates")
        }
    }
}

struct CorpusSplit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Draw valid and test sets, grouped so that no sentence is shared between splits.",
        discussion: """
        Pairs sharing an identical source or target sentence form one group, and a group goes to \
        one split whole. Deterministic for a given seed. Without --from, all pairs of the corpus \
        are redistributed (so re-running with the same seed gives the same split).
        """
    )

    @OptionGroup var database: DatabaseOption
    @Argument(help: "Corpus name.") var name: String
    @Option(help: "Pairs for the validation split.") var valid: Int = 0
    @Option(help: "Pairs for the test split.") var test: Int = 0
    @Option(help: "Seed of the draw.") var seed: UInt64 = 1
    @Option(help: "Draw only from the pairs now in this split (others stay put).") var from: Split?

    func run() throws {
        let store = try CorpusStore(path: database.db, mode: .existing)
        let report = try store.split(corpus: name, valid: valid, test: test, seed: seed, pool: from)
        let counts = Split.allCases.map { "\($0.rawValue) \(report.pairsPerSplit[$0] ?? 0)" }.joined(separator: ", ")
        print("split \(report.pool) pairs of '\(name)' (\(report.groups) groups, largest \(report.largestGroup)): \(counts); \(report.moved) moved")
        for (split, wanted) in [(Split.valid, valid), (Split.test, test)] where (report.pairsPerSplit[split] ?? 0) != wanted {
            CorpusOutput.error("warning: \(split.rawValue) has \(report.pairsPerSplit[split] ?? 0) pairs, not \(wanted): no remaining group fits the quota exactly")
        }
    }
}

struct CorpusList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the corpora in the database.")

    @OptionGroup var database: DatabaseOption

    func run() throws {
        let store = try CorpusStore(path: database.db, mode: .readOnly)
        let corpora = try store.corpora()
        guard !corpora.isEmpty else { print("no corpora in \(database.db)"); return }
        let rows = corpora.map { c in
            [c.name, "\(c.sourceLanguage)-\(c.targetLanguage)", "\(c.pairs)",
             "\(c.pairsPerSplit[.train] ?? 0)", "\(c.pairsPerSplit[.valid] ?? 0)", "\(c.pairsPerSplit[.test] ?? 0)", c.created]
        }
        CorpusOutput.table(header: ["name", "langs", "pairs", "train", "valid", "test", "created"], rows: rows, left: [0, 1, 6])
    }
}

struct CorpusStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Pairs per split, sentence-length percentiles per side, duplicates and imports."
    )

    @OptionGroup var database: DatabaseOption
    @Argument(help: "Corpus name.") var name: String
    @Option(help: "Limit length and repetition figures to one split.") var split: Split?

    func run() throws {
        let store = try CorpusStore(path: database.db, mode: .readOnly)
        let s = try store.stats(corpus: name, split: split)
        let info = s.info
        print("corpus '\(info.name)' \(info.sourceLanguage)-\(info.targetLanguage), created \(info.created)")
        print("  origin: \(info.origin)" + (info.license.isEmpty ? "" : "; license: \(info.license)"))
        print("  pairs: \(info.pairs) (" + Split.allCases.map { "\($0.rawValue) \(info.pairsPerSplit[$0] ?? 0)" }.joined(separator: ", ") + ")")
        print("lengths over \(split.map { "split \($0.rawValue)" } ?? "all splits") (\(s.pairs) pairs):")
        var rows: [[String]] = []
        for (side, stats) in [(info.sourceLanguage, s.source), (info.targetLanguage, s.target)] {
            for (unit, l) in [("words", stats.words), ("chars", stats.chars)] {
                rows.append(["\(side) \(unit)", "\(l.min)", "\(l.p50)", "\(l.p90)", "\(l.p95)", "\(l.p99)", "\(l.max)", CorpusOutput.fixed(l.mean, 1)])
            }
        }
        CorpusOutput.table(header: ["side", "min", "p50", "p90", "p95", "p99", "max", "mean"], rows: rows)
        print("repetition: \(s.source.distinct) distinct sources (\(s.source.pairsSharingSentence) pairs share one), "
            + "\(s.target.distinct) distinct targets (\(s.target.pairsSharingSentence) pairs share one), "
            + "\(s.identicalSides) pairs with source = target")
        print("duplicates skipped at import: \(s.duplicatesSkipped)")
        for record in s.imports {
            let r = record.report
            print("  import \(record.at) → \(record.split.rawValue): read \(r.read), imported \(r.imported), duplicates \(r.duplicates), "
                + "empty \(r.empty), too long \(r.tooLong), bad ratio \(r.badRatio), bad lines \(r.badLines) from \(record.origin)")
        }
        for (key, pairs) in s.encodings { print("cached encodings: \(pairs) pairs under \(key)") }
    }
}

struct CorpusExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a corpus (or one split) as two aligned files, byte for byte as imported."
    )

    @OptionGroup var database: DatabaseOption
    @Argument(help: "Corpus name.") var name: String
    @Option(help: "Only this split.") var split: Split?
    @Option(help: "Source-side output file.") var src: String
    @Option(help: "Target-side output file.") var tgt: String

    func run() throws {
        let store = try CorpusStore(path: database.db, mode: .readOnly)
        let count = try store.export(corpus: name, split: split, sourcePath: src, targetPath: tgt)
        print("exported \(count) pairs of '\(name)'\(split.map { " (\($0.rawValue))" } ?? "") to \(src) and \(tgt)")
    }
}

struct CorpusRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a corpus and its cached encodings.")

    @OptionGroup var database: DatabaseOption
    @Argument(help: "Corpus name.") var name: String

    func run() throws {
        let store = try CorpusStore(path: database.db, mode: .existing)
        let count = try store.remove(corpus: name)
        print("removed corpus '\(name)' (\(count) pairs)")
    }
}

/// Plain-text output helpers for the corpus commands (no Foundation formatting needed).
enum CorpusOutput {
    /// Columns in `left` are left-aligned, the rest (numbers) right-aligned.
    static func table(header: [String], rows: [[String]], left: Set<Int> = [0]) {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return left.contains(c) ? cell + pad : pad + cell
            }
            print(cells.joined(separator: "  "))
        }
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled.truncatingRemainder(dividingBy: scale))
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(whole)" }
        let text = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    /// One line to stderr.
    static func error(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
