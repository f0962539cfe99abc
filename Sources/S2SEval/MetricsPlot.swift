/// Training curves as SVG: loss (training and validation) against step, and, when the log has
/// any, validation BLEU against step in a second panel sharing the step axis.
///
/// Read from a metrics log (`MetricsLogReader`, format documented on `MetricsLogEntry`). When a step
/// appears twice in a series — a run resumed from an earlier checkpoint logs those steps again
/// — the later line wins, since it belongs to the run that carried on.
package enum MetricsPlot {
    /// Series colours (colour-blind-safe pairs from the Tableau 10 palette).
    static let trainColor = "#1f77b4"
    static let validColor = "#ff7f0e"
    static let bleuColor = "#2ca02c"
    /// Beyond this many points a training curve is thinned (every k-th point, the last kept);
    /// more would not show at plot width and would only bloat the file.
    static let maxTrainPoints = 2000

    /// The SVG document for `records`, titled `title` (e.g. the log's file name).
    package static func svg(_ records: [MetricsLogEntry], title: String? = nil) throws(PlotError) -> String {
        let train = series(records.filter { $0.kind == .train }) { $0.loss }
        let validLoss = series(records.filter { $0.kind == .valid }) { $0.loss }
        let bleu = series(records.filter { $0.kind == .valid }) { $0.bleu }
        guard !train.isEmpty || !validLoss.isEmpty else { throw .noData("the metrics log has no train or valid records") }

        let allSteps = (train + validLoss + bleu).map(\.x)
        let xScale = NiceScale(allSteps.min() ?? 0, allSteps.max() ?? 1, target: 7)
        let losses = (train + validLoss).map(\.y)
        let lossScale = NiceScale(losses.min() ?? 0, losses.max() ?? 1)

        let width = 960.0, left = 78.0, right = 190.0, panelHeight = 300.0, gap = 70.0, top = 78.0
        let hasBLEU = !bleu.isEmpty
        let height = top + panelHeight + (hasBLEU ? gap + panelHeight : 0) + 60
        var svg = SVGWriter(width: width, height: height)

        svg.text(title.map { "Training metrics — \($0)" } ?? "Training metrics", x: left, y: 30, size: 18, bold: true)
        svg.text(summary(train: train, valid: validLoss, bleu: bleu), x: left, y: 54, size: 12, fill: "#555555")

        let plotWidth = width - left - right
        let lossPanel = Panel(x: left, y: top, w: plotWidth, h: panelHeight, xScale: xScale, yScale: lossScale)
        lossPanel.drawAxes(&svg, yTitle: "loss (nats/token)", xTitle: hasBLEU ? nil : "step")
        lossPanel.draw(&svg, thin(train), color: trainColor, markers: false, label: "train loss")
        lossPanel.draw(&svg, validLoss, color: validColor, markers: true, label: "valid loss")
        var legend: [(String, String, Bool)] = []
        if !train.isEmpty { legend.append(("train loss", trainColor, false)) }
        if !validLoss.isEmpty { legend.append(("valid loss", validColor, true)) }
        lossPanel.drawLegend(&svg, legend)

        if hasBLEU {
            let bleuScale = NiceScale(0, max(bleu.map(\.y).max() ?? 1, 1) * 1.05)
            let bleuPanel = Panel(x: left, y: top + panelHeight + gap, w: plotWidth, h: panelHeight,
                                  xScale: xScale, yScale: bleuScale)
            bleuPanel.drawAxes(&svg, yTitle: "BLEU (valid)", xTitle: "step")
            bleuPanel.draw(&svg, bleu, color: bleuColor, markers: true, label: "valid BLEU")
            bleuPanel.drawLegend(&svg, [("valid BLEU", bleuColor, true)])
        }
        return svg.document
    }

    /// A point of a curve.
    struct Point { let x: Double; let y: Double }

    /// The finite values of one field, one per step (last line wins), sorted by step.
    static func series(_ records: [MetricsLogEntry], _ value: (MetricsLogEntry) -> Double?) -> [Point] {
        var byStep: [Int: Double] = [:]
        for r in records {
            if let v = value(r), v.isFinite { byStep[r.step] = v } else { byStep[r.step] = nil }
        }
        return byStep.keys.sorted().compactMap { step in byStep[step].map { Point(x: Double(step), y: $0) } }
    }

    /// Every k-th point so at most `maxTrainPoints` remain, always keeping the last.
    static func thin(_ points: [Point]) -> [Point] {
        guard points.count > maxTrainPoints else { return points }
        let k = (points.count + maxTrainPoints - 1) / maxTrainPoints
        var out = stride(from: 0, to: points.count, by: k).map { points[$0] }
        if let last = points.last, out.last?.x != last.x { out.append(last) }
        return out
    }

    /// One line under the title with the figures people look for first.
    static func summary(train: [Point], valid: [Point], bleu: [Point]) -> String {
        var parts: [String] = []
        if let last = (train + valid).map(\.x).max() { parts.append("last step \(Int(last))") }
        if let t = train.last { parts.append("train loss \(ScoreFormat.fixed(t.y, 3))") }
        if let best = valid.min(by: { $0.y < $1.y }) {
            parts.append("best valid loss \(ScoreFormat.fixed(best.y, 3)) at step \(Int(best.x))")
        }
        if let best = bleu.max(by: { $0.y < $1.y }) {
            parts.append("best valid BLEU \(ScoreFormat.fixed(best.y, 2)) at step \(Int(best.x))")
        } else {
            parts.append("no validation BLEU in the log")
        }
        return parts.joined(separator: " · ")
    }

    /// A plot area with its scales.
    struct Panel {
        let x: Double, y: Double, w: Double, h: Double
        let xScale: NiceScale, yScale: NiceScale

        func px(_ v: Double) -> Double { x + (v - xScale.lo) / (xScale.hi - xScale.lo) * w }
        func py(_ v: Double) -> Double { y + h - (v - yScale.lo) / (yScale.hi - yScale.lo) * h }

        func drawAxes(_ svg: inout SVGWriter, yTitle: String, xTitle: String?) {
            svg.rect(x: x, y: y, w: w, h: h, fill: "#fcfcfc", stroke: "#999999")
            for t in yScale.ticks {
                let yy = py(t)
                svg.line(x, yy, x + w, yy, stroke: "#e3e3e3")
                svg.line(x - 5, yy, x, yy, stroke: "#666666")
                svg.text(yScale.label(t), x: x - 8, y: yy + 4, size: 11, anchor: .end)
            }
            for t in xScale.ticks {
                let xx = px(t)
                svg.line(xx, y, xx, y + h, stroke: "#eeeeee")
                svg.line(xx, y + h, xx, y + h + 5, stroke: "#666666")
                svg.text(xScale.label(t), x: xx, y: y + h + 19, size: 11, anchor: .middle)
            }
            svg.text(yTitle, x: x - 56, y: y + h / 2, size: 13, anchor: .middle, rotate: -90)
            if let xTitle { svg.text(xTitle, x: x + w / 2, y: y + h + 40, size: 13, anchor: .middle) }
        }

        func draw(_ svg: inout SVGWriter, _ points: [Point], color: String, markers: Bool, label: String) {
            guard !points.isEmpty else { return }
            svg.polyline(points.map { (px($0.x), py($0.y)) }, stroke: color, width: markers ? 2 : 1.5)
            if markers {
                for p in points {
                    svg.circle(px(p.x), py(p.y), r: 3.2, fill: color,
                               title: "\(label) \(ScoreFormat.fixed(p.y, 3)) at step \(Int(p.x))")
                }
            }
        }

        /// Legend to the right of the plot area, so it never hides a curve.
        func drawLegend(_ svg: inout SVGWriter, _ entries: [(String, String, Bool)]) {
            guard !entries.isEmpty else { return }
            let lx = x + w + 18
            svg.rect(x: lx - 8, y: y, w: 160, h: Double(entries.count) * 22 + 12, fill: "#ffffff", stroke: "#cccccc")
            for (i, e) in entries.enumerated() {
                let ly = y + 18 + Double(i) * 22
                svg.line(lx, ly - 4, lx + 26, ly - 4, stroke: e.1, width: 2.5)
                if e.2 { svg.circle(lx + 13, ly - 4, r: 3.2, fill: e.1) }
                svg.text(e.0, x: lx + 34, y: ly, size: 12)
            }
        }
    }
}

/// A plot that cannot be drawn from its input.
package enum PlotError: Error, Equatable, CustomStringConvertible {
    case noData(String)
    case shapeMismatch(String)

    package var description: String {
        switch self {
        case let .noData(m): return m
        case let .shapeMismatch(m): return m
        }
    }
}
