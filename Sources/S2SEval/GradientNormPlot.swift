import Foundation

/// Gradient norm through time, one curve per series, on a log scale: ‖∂L/∂x_t‖ against the
/// distance from the step where the loss is taken (`s2s bench long-range --plot`). A curve that
/// falls by a constant number of decades per step is the vanishing gradient of the seeds'
/// §10.7; a flat one is a cell that carries the gradient back.
package enum GradientNormPlot {
    /// `series`: (label, norms indexed by distance from the loss); non-positive values are left
    /// out (log scale). Colors cycle through a fixed palette.
    package static func svg(_ series: [(label: String, norms: [Double])], title: String) throws(PlotError) -> String {
        let curves = series.map { s in
            (s.label, s.norms.enumerated().compactMap { i, v in v > 0 && v.isFinite ? MetricsPlot.Point(x: Double(i), y: log10(v)) : nil })
        }
        let all = curves.flatMap(\.1)
        guard !all.isEmpty else { throw .noData("no positive gradient norm to plot") }
        let panel = MetricsPlot.Panel(x: 80, y: 50, w: 560, h: 320,
                                      xScale: NiceScale(0, all.map(\.x).max() ?? 1),
                                      yScale: NiceScale(all.map(\.y).min() ?? -1, all.map(\.y).max() ?? 0))
        var svg = SVGWriter(width: 840, height: 430)
        svg.text(title, x: 80, y: 30, size: 15)
        panel.drawAxes(&svg, yTitle: "log10 ‖∂L/∂x_t‖", xTitle: "steps between x_t and the loss")
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
        for (i, c) in curves.enumerated() {
            panel.draw(&svg, c.1, color: palette[i % palette.count], markers: false, label: c.0)
        }
        panel.drawLegend(&svg, curves.enumerated().map { i, c in (c.0, palette[i % palette.count], false) })
        return svg.document
    }
}
