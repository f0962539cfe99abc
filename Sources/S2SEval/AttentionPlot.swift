/// The attention heatmap as SVG: source tokens along the top (x), output tokens down the left
/// (y), one cell per (output, source) pair shaded by its attention weight, with a colour bar.
///
/// Readable from 1 to about 100 tokens per side: the cell size shrinks from 40 to 12 px as the
/// sentence grows, labels shrink with it (never under 9 px), and tokens longer than 28
/// characters are cut with "…". Source labels are turned 60° so long subwords do not collide.
/// Every label is XML-escaped, so tokens like `<unk>`, `&` or `"` come out as written.
package enum AttentionPlot {
    /// Tokens longer than this are shortened in labels (the full token stays in the cell's tooltip).
    static let maxLabelCharacters = 28
    /// Cells get tooltips ("source → output: weight") up to this many cells; beyond it they
    /// would make a 100×100 plot several megabytes.
    static let maxCellsWithTooltips = 2500

    /// The heatmap for `weights[i][j]`: attention of output token `i` on source token `j`
    /// (`[outputTokens.count][sourceTokens.count]`), values expected in 0...1 (each row a
    /// distribution); values are clamped for colour and NaN shows grey.
    package static func svg(sourceTokens: [String], outputTokens: [String], weights: [[Float]],
                           title: String? = nil) throws(PlotError) -> String {
        let nSrc = sourceTokens.count, nOut = outputTokens.count
        guard nSrc > 0, nOut > 0 else {
            throw .noData("attention plot needs at least one source and one output token (got \(nSrc) and \(nOut))")
        }
        guard weights.count == nOut else {
            throw .shapeMismatch("attention weights have \(weights.count) rows for \(nOut) output tokens")
        }
        for (i, row) in weights.enumerated() where row.count != nSrc {
            throw .shapeMismatch("attention row \(i) has \(row.count) weights for \(nSrc) source tokens")
        }

        let cell = min(40.0, max(12.0, 900.0 / Double(max(nSrc, nOut))))
        let font = min(14.0, max(9.0, cell * 0.62))
        let charWidth = font * 0.62  // average advance of a sans-serif glyph, for layout estimates
        let srcLabels = sourceTokens.map(label)
        let outLabels = outputTokens.map(label)
        let longestSrc = Double(srcLabels.map(\.count).max() ?? 1)
        let longestOut = Double(outLabels.map(\.count).max() ?? 1)
        // A label rotated 60° rises sin(60°)·length above its foot.
        let topLabelHeight = longestSrc * charWidth * 0.87 + font + 8
        let left = max(60.0, longestOut * charWidth + 24)
        let titleHeight = 40.0
        let top = titleHeight + topLabelHeight + 24
        let gridW = Double(nSrc) * cell, gridH = Double(nOut) * cell
        let barGap = 28.0, barW = 16.0, barLabelW = 44.0
        // Rotated source labels lean right; leave room for the last one.
        let rightLean = longestSrc * charWidth * 0.5
        let width = left + gridW + max(barGap + barW + barLabelW, rightLean) + 16
        let height = top + gridH + 46
        var svg = SVGWriter(width: max(width, 320), height: max(height, 200))

        svg.text(title ?? "Attention", x: 16, y: 26, size: 16, bold: true)
        svg.text("source →", x: 8, y: top - 24, size: 11, fill: "#555555")
        svg.text("output ↓", x: 8, y: top - 8, size: 11, fill: "#555555")

        let tooltips = nSrc * nOut <= maxCellsWithTooltips
        // White under the grid, so cells that round to white need no element of their own
        // (most of a long sentence's cells: keeps a 100×100 plot small).
        svg.rect(x: left, y: top, w: gridW, h: gridH, fill: HeatColor.hex(0))
        for i in 0..<nOut {
            for j in 0..<nSrc {
                let w = Double(weights[i][j])
                if !tooltips && HeatColor.hex(w) == HeatColor.hex(0) { continue }
                let tip = tooltips ? "\(sourceTokens[j]) → \(outputTokens[i]): \(w.isFinite ? ScoreFormat.fixed(w, 3) : "NaN")" : nil
                svg.rect(x: left + Double(j) * cell, y: top + Double(i) * cell, w: cell, h: cell,
                         fill: HeatColor.hex(w), title: tip)
            }
        }
        // Thin white grid so neighbouring cells of equal weight stay countable.
        if cell >= 14 {
            for j in 0...nSrc { svg.line(left + Double(j) * cell, top, left + Double(j) * cell, top + gridH, stroke: "#ffffff", width: 0.6) }
            for i in 0...nOut { svg.line(left, top + Double(i) * cell, left + gridW, top + Double(i) * cell, stroke: "#ffffff", width: 0.6) }
        }
        svg.rect(x: left, y: top, w: gridW, h: gridH, fill: "none", stroke: "#888888")

        for (j, text) in srcLabels.enumerated() {
            let x = left + (Double(j) + 0.5) * cell
            svg.text(text, x: x, y: top - 6, size: font, anchor: .start, rotate: -60)
        }
        for (i, text) in outLabels.enumerated() {
            let y = top + (Double(i) + 0.5) * cell
            svg.text(text, x: left - 8, y: y, size: font, anchor: .end, baseline: "central")
        }

        // Colour bar, 0 at the bottom, 1 at the top.
        let barX = left + gridW + barGap, barH = max(min(gridH, 240), 60)
        let steps = 20
        for k in 0..<steps {
            let v = Double(k) / Double(steps - 1)
            let y = top + barH - Double(k + 1) * barH / Double(steps)
            svg.rect(x: barX, y: y, w: barW, h: barH / Double(steps) + 0.5, fill: HeatColor.hex(v))
        }
        svg.rect(x: barX, y: top, w: barW, h: barH, fill: "none", stroke: "#888888")
        for v in [0.0, 0.5, 1.0] {
            let y = top + barH - v * barH
            svg.line(barX + barW, y, barX + barW + 4, y, stroke: "#666666")
            svg.text(ScoreFormat.fixed(v, 1), x: barX + barW + 7, y: y + 4, size: 11)
        }
        return svg.document
    }

    /// A token as shown on an axis: at most `maxLabelCharacters` characters, visible
    /// placeholders for an empty token and for whitespace.
    static func label(_ token: String) -> String {
        if token.isEmpty { return "∅" }
        var t = token.replacingWhitespaceForDisplay()
        if t.count > maxLabelCharacters { t = String(t.prefix(maxLabelCharacters - 1)) + "…" }
        return t
    }
}

extension String {
    /// Spaces shown as "·" and other whitespace as "␣", so "a b" and "ab" differ on an axis.
    fileprivate func replacingWhitespaceForDisplay() -> String {
        var out = String.UnicodeScalarView()
        for u in unicodeScalars {
            if u == " " { out.append("·") } else if PythonText.isSpace(u.value) { out.append("␣") } else { out.append(u) }
        }
        return String(out)
    }
}
