import Foundation
import Testing
@testable import S2SEval

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG document with Foundation's XML parser and collects what the tests look at.
final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var rootAttributes: [String: String] = [:]
    private var inText = false
    private var current = ""

    static func parse(_ svg: String) -> SVGInspector? {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if elements.isEmpty { rootAttributes = attributes }
        elements[name, default: 0] += 1
        if name == "text" { inText = true; current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current); inText = false }
    }
}

/// Writes a plot where a person can look at it when S2S_PLOT_DIR is set (e.g. to convert to PNG).
func keep(_ svg: String, _ name: String) {
    guard let dir = ProcessInfo.processInfo.environment["S2S_PLOT_DIR"] else { return }
    try? Data(svg.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
}

@Suite struct AttentionPlotTests {
    @Test func heatmapHasOneCellPerPairAndEscapedLabels() throws {
        let src = ["<unk>", "Tom", "&", "\"Jerry\"", "'s", "a\u{01}b", "."]
        let out = ["Tom", "und", "Jerry", "<eos>"]
        var weights: [[Float]] = []
        for i in 0..<out.count {
            var row = [Float](repeating: 0.02, count: src.count)
            row[min(i + 1, src.count - 1)] = 0.88
            weights.append(row)
        }
        let svg = try AttentionPlot.svg(sourceTokens: src, outputTokens: out, weights: weights)
        keep(svg, "attention_small.svg")
        let doc = try #require(SVGInspector.parse(svg), "SVG must be well-formed XML")
        #expect(doc.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
        // Cells (all with tooltips here) + grid background + frame + colour bar steps + bar frame + page background.
        #expect((doc.elements["rect"] ?? 0) == src.count * out.count + 1 + 1 + 20 + 1 + 1)
        #expect(doc.texts.contains("<unk>"))
        #expect(doc.texts.contains("&"))
        #expect(doc.texts.contains("\"Jerry\""))
        #expect(doc.texts.contains("'s"))
        #expect(doc.texts.contains("a\u{FFFD}b"))  // a control character is not allowed in XML
        #expect(doc.texts.contains("<eos>"))
        #expect(svg.contains("&lt;unk&gt;") && svg.contains("&amp;") && !svg.contains("<unk>"))
    }

    @Test func strongestWeightIsDarkest() throws {
        let svg = try AttentionPlot.svg(sourceTokens: ["a", "b"], outputTokens: ["x"], weights: [[0.1, 0.9]])
        let light = HeatColor.hex(Double(Float(0.1))), dark = HeatColor.hex(Double(Float(0.9)))
        #expect(light != dark)
        #expect(svg.contains("fill=\"\(light)\"") && svg.contains("fill=\"\(dark)\""))
        #expect(HeatColor.hex(0) == "#ffffff")
        #expect(HeatColor.hex(1) == "#082556")
        #expect(HeatColor.hex(.nan) == "#bdbdbd")
    }

    @Test(arguments: [1, 3, 25, 100])
    func readableFromOneToHundredTokens(n: Int) throws {
        let src = (0..<n).map { "src\($0)" }
        let out = (0..<max(1, n - n / 5)).map { "out@@\($0)" }
        let weights: [[Float]] = out.indices.map { i in
            src.indices.map { j in Float(exp(-Double((j - i) * (j - i)) / 2)) }
        }
        let svg = try AttentionPlot.svg(sourceTokens: src, outputTokens: out, weights: weights, title: "\(n) tokens")
        keep(svg, "attention_\(n).svg")
        let doc = try #require(SVGInspector.parse(svg))
        #expect(doc.texts.filter { $0.hasPrefix("src") }.count == n)
        #expect(doc.texts.filter { $0.hasPrefix("out@@") }.count == out.count)
        let width = try #require(Double(doc.rootAttributes["width"] ?? ""))
        // Cells stay at least 12 px, so 100 tokens need at least 1200 px, and nothing is tiny.
        #expect(width >= Double(n) * 12)
        let sizes = svg.components(separatedBy: "font-size=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(sizes.min() ?? 0 >= 9)
    }

    @Test func longTokensAreShortenedAndEmptyOnesVisible() throws {
        let long = String(repeating: "x", count: 60)
        let svg = try AttentionPlot.svg(sourceTokens: [long, ""], outputTokens: ["a b"], weights: [[0.5, 0.5]])
        let doc = try #require(SVGInspector.parse(svg))
        #expect(doc.texts.contains(String(repeating: "x", count: 27) + "…"))
        #expect(doc.texts.contains("∅"))
        #expect(doc.texts.contains("a·b"))
    }

    @Test func shapeMismatchesAreErrors() {
        #expect(throws: PlotError.self) { try AttentionPlot.svg(sourceTokens: ["a"], outputTokens: ["x", "y"], weights: [[1]]) }
        #expect(throws: PlotError.self) { try AttentionPlot.svg(sourceTokens: ["a", "b"], outputTokens: ["x"], weights: [[1]]) }
        #expect(throws: PlotError.self) { try AttentionPlot.svg(sourceTokens: [], outputTokens: ["x"], weights: [[]]) }
    }
}

@Suite struct MetricsPlotTests {
    static func sampleLog() -> [MetricsLogEntry] {
        var records: [MetricsLogEntry] = []
        for step in stride(from: 100, through: 3000, by: 100) {
            let loss = 2 + 6 * exp(-Double(step) / 800)
            records.append(.train(step: step, epoch: 1 + step / 1000, timeSeconds: Double(step) * 0.4, loss: loss,
                                  perplexity: exp(loss), learningRate: 5e-4, tokensPerSecond: 10_000, teacherForcingRatio: 1))
            if step % 500 == 0 {
                records.append(.valid(step: step, loss: loss + 0.3, perplexity: exp(loss + 0.3), bleu: Double(step) / 150))
            }
        }
        return records
    }

    @Test func drawsLossAndBLEUWithLegendAndAxes() throws {
        let svg = try MetricsPlot.svg(Self.sampleLog(), title: "toy <run>")
        keep(svg, "metrics.svg")
        let doc = try #require(SVGInspector.parse(svg))
        #expect(doc.elements["polyline"] == 3)  // train loss, valid loss, valid BLEU
        #expect(doc.texts.contains("train loss") && doc.texts.contains("valid loss") && doc.texts.contains("valid BLEU"))
        #expect(doc.texts.contains("step"))
        #expect(doc.texts.contains("Training metrics — toy <run>"))
        #expect(doc.texts.contains("3000"))  // last x tick
        #expect(doc.texts.contains { $0.contains("best valid BLEU 20.00 at step 3000") })
        // Six validation markers on each validation curve.
        #expect(doc.elements["circle"] == 6 + 6 + 2)  // + the two legend markers
    }

    @Test func withoutBLEUThereIsOnePanel() throws {
        let records = Self.sampleLog().map { r -> MetricsLogEntry in var r = r; r.bleu = nil; return r }
        let svg = try MetricsPlot.svg(records)
        let doc = try #require(SVGInspector.parse(svg))
        #expect(doc.elements["polyline"] == 2)
        #expect(doc.texts.contains { $0.contains("no validation BLEU") })
    }

    @Test func resumedStepsKeepTheLaterLine() {
        let a = MetricsLogEntry.train(step: 10, epoch: 1, timeSeconds: 1, loss: 5, perplexity: 1, learningRate: 1,
                                    tokensPerSecond: 1, teacherForcingRatio: 1)
        var b = a; b.loss = 3
        let s = MetricsPlot.series([a, b], { $0.loss })
        #expect(s.count == 1 && s[0].y == 3)
    }

    @Test func emptyLogIsAnError() {
        #expect(throws: PlotError.self) { try MetricsPlot.svg([]) }
    }

    @Test func niceTicks() {
        let s = NiceScale(0.13, 9.2)
        #expect(s.lo == 0 && s.hi == 10 && s.step == 2)
        #expect(s.ticks.map { s.label($0) } == ["0", "2", "4", "6", "8", "10"])
        let small = NiceScale(2.31, 2.38)
        #expect(small.ticks.allSatisfy { $0 >= 2.29 && $0 <= 2.4 })
        #expect(small.label(small.lo).count == 4)  // two decimals for a 0.01/0.02 step
        let flat = NiceScale(7, 7)
        #expect(flat.lo < 7 && flat.hi > 7)
    }
}

@Suite struct MetricsLogTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func roundTripsTheDocumentedFormat() throws {
        let t = MetricsLogEntry.train(step: 1200, epoch: 3, timeSeconds: 431.7, loss: 3.214, perplexity: 24.88,
                                    learningRate: 0.0005, tokensPerSecond: 10412.5, teacherForcingRatio: 0.92)
        let v = MetricsLogEntry.valid(step: 1200, loss: 3.402, perplexity: 30.02, bleu: 18.73)
        #expect(t.jsonLine == #"{"kind":"train","step":1200,"epoch":3,"time_s":431.7,"loss":3.214,"ppl":24.88,"lr":0.0005,"tokens_per_s":10412.5,"tf_ratio":0.92}"#)
        #expect(v.jsonLine == #"{"kind":"valid","step":1200,"loss":3.402,"ppl":30.02,"bleu":18.73}"#)
        let path = try write(t.jsonLine + "\n\n" + v.jsonLine + "\n" + #"{"kind":"valid","step":1300,"loss":3.3,"ppl":27.1,"bleu":null,"future_key":1}"# + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try MetricsLogReader.read(path: path)
        #expect(c.records == [t, v, .valid(step: 1300, loss: 3.3, perplexity: 27.1, bleu: nil)])
        #expect(c.warnings.isEmpty)
    }

    /// Lines exactly as the trainer's JSONEncoder (sorted keys) writes them.
    @Test func readsTheTrainersSortedKeyLines() throws {
        let path = try write(
            #"{"epoch":1,"kind":"train","loss":5.25,"lr":0.001,"ppl":190.566,"step":50,"tf_ratio":1,"time_s":12.5,"tokens_per_s":9876.5}"# + "\n"
            + #"{"bleu":3.5,"epoch":1,"kind":"valid","loss":5.5,"ppl":244.69,"step":50,"time_s":14}"# + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try MetricsLogReader.read(path: path)
        #expect(c.records == [
            .train(step: 50, epoch: 1, timeSeconds: 12.5, loss: 5.25, perplexity: 190.566, learningRate: 0.001,
                   tokensPerSecond: 9876.5, teacherForcingRatio: 1),
            .valid(step: 50, epoch: 1, timeSeconds: 14, loss: 5.5, perplexity: 244.69, bleu: 3.5),
        ])
    }

    @Test func incompleteLastLineIsSkippedWithAWarning() throws {
        let path = try write(#"{"kind":"valid","step":1,"loss":3,"ppl":20}"# + "\n" + #"{"kind":"train","st"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try MetricsLogReader.read(path: path)
        #expect(c.records.count == 1)
        #expect(c.warnings.count == 1 && c.warnings[0].hasSuffix(":2: skipped an incomplete last line"))
    }

    @Test func badLinesNameFileAndLine() throws {
        let cases: [(String, String)] = [
            (#"{"kind":"train","step":1}"#, "missing key 'loss'"),
            (#"{"kind":"test","step":1,"loss":2}"#, "bad value for 'kind'"),
            (#"{"kind":"valid","step":"x","loss":2}"#, "wrong type for 'step'"),
            ("not json at all", "not a JSON object"),
        ]
        for (line, problem) in cases {
            let path = try write(#"{"kind":"valid","step":1,"loss":3}"# + "\n" + line + "\n")
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: MetricsLogError(path: path, line: 2, problem: problem)) { try MetricsLogReader.read(path: path) }
        }
    }
}

/// The gradient-norm plot: one curve per series on a log scale, non-positive norms left out,
/// nothing to plot is an error.
@Test func gradientNormPlotDrawsEachSeriesOnALogScale() throws {
    let svg = try GradientNormPlot.svg([("rnn L=3", [1, 1e-3, 1e-6]), ("gru L=3", [1, 0.5, 0])], title: "norms <test>")
    #expect(svg.contains("rnn L=3") && svg.contains("gru L=3") && svg.contains("norms &lt;test&gt;"))
    #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
    #expect(svg.contains(">-6<"))   // the axis reaches log10(1e-6)
    #expect(throws: PlotError.self) { try GradientNormPlot.svg([("x", [0, -1])], title: "empty") }
}
