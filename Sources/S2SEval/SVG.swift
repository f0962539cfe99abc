import Foundation

/// A minimal SVG writer: elements appended as text, every piece of user text XML-escaped, every
/// coordinate rounded to two decimals so files stay small and diffs stay stable.
///
/// Hand-written rather than a library: the plots need rectangles, lines, polylines and text,
/// and a dependency for that would cost more than these few functions.
struct SVGWriter {
    private(set) var body: String = ""
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The complete document.
    var document: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.num(width))" height="\(Self.num(height))" \
        viewBox="0 0 \(Self.num(width)) \(Self.num(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <rect x="0" y="0" width="\(Self.num(width))" height="\(Self.num(height))" fill="#ffffff"/>

        """ + body + "</svg>\n"
    }

    mutating func raw(_ s: String) { body += s; body += "\n" }

    mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, stroke: String? = nil,
                       extra: String = "", title: String? = nil) {
        var s = "<rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(w))\" height=\"\(Self.num(h))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\"" }
        if !extra.isEmpty { s += " " + extra }
        if let title {
            s += "><title>\(Self.escape(title))</title></rect>"
        } else {
            s += "/>"
        }
        raw(s)
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, extra: String = "") {
        var s = "<line x1=\"\(Self.num(x1))\" y1=\"\(Self.num(y1))\" x2=\"\(Self.num(x2))\" y2=\"\(Self.num(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\""
        if !extra.isEmpty { s += " " + extra }
        raw(s + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, extra: String = "") {
        guard !points.isEmpty else { return }
        let pts = points.map { "\(Self.num($0.0)),\(Self.num($0.1))" }.joined(separator: " ")
        var s = "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\" stroke-linejoin=\"round\""
        if !extra.isEmpty { s += " " + extra }
        raw(s + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, title: String? = nil) {
        var s = "<circle cx=\"\(Self.num(x))\" cy=\"\(Self.num(y))\" r=\"\(Self.num(r))\" fill=\"\(fill)\""
        if let title { s += "><title>\(Self.escape(title))</title></circle>" } else { s += "/>" }
        raw(s)
    }

    enum Anchor: String { case start, middle, end }

    /// Text at (x, y) — y is the baseline unless `baseline` says otherwise; `rotate` turns it
    /// around its anchor point (degrees, clockwise).
    mutating func text(_ content: String, x: Double, y: Double, size: Double, anchor: Anchor = .start,
                       fill: String = "#222222", rotate: Double? = nil, baseline: String? = nil, bold: Bool = false) {
        var s = "<text x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" font-size=\"\(Self.num(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if let baseline { s += " dominant-baseline=\"\(baseline)\"" }
        if bold { s += " font-weight=\"bold\"" }
        if let rotate { s += " transform=\"rotate(\(Self.num(rotate)) \(Self.num(x)) \(Self.num(y)))\"" }
        raw(s + ">\(Self.escape(content))</text>")
    }

    /// A coordinate or size: at most two decimals, no trailing zeros, never "-0".
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == 0 { return "0" }
        if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
        var s = ScoreFormat.fixed(r, 2)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// Text safe inside an XML element or attribute: `& < > " '` as entities, and code points
    /// XML 1.0 forbids (C0 controls other than tab/newline/CR, U+FFFE, U+FFFF) as U+FFFD, so a
    /// token holding anything at all still gives a well-formed file.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = u.value
                if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// Axis ticks at "nice" values (1, 2 or 5 times a power of ten) covering a range.
struct NiceScale {
    let lo: Double
    let hi: Double
    let step: Double

    /// A scale covering `[minValue, maxValue]` with about `target` ticks; a degenerate range is
    /// widened so a single value still gets an axis around it.
    init(_ minValue: Double, _ maxValue: Double, target: Int = 6) {
        var a = minValue, b = maxValue
        if !(a.isFinite && b.isFinite) { a = 0; b = 1 }
        if a > b { swap(&a, &b) }
        if b - a < 1e-12 {
            let pad = abs(a) > 1e-12 ? abs(a) * 0.1 : 1
            a -= pad; b += pad
        }
        let raw = (b - a) / Double(max(target - 1, 1))
        let magnitude = Self.pow10(raw)
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        step = nice * magnitude
        lo = (a / step).rounded(.down) * step
        hi = (b / step).rounded(.up) * step
    }

    /// The tick values from `lo` to `hi`.
    var ticks: [Double] {
        let n = Int(((hi - lo) / step).rounded())
        return (0...max(n, 0)).map { lo + Double($0) * step }
    }

    /// Decimals needed to print the ticks without losing the step.
    var decimals: Int {
        step >= 1 ? 0 : min(6, Int((-log10(step) - 1e-9).rounded(.up)))
    }

    /// The tick label for `v` ("0", not "-0", for a tick that is zero up to rounding).
    func label(_ v: Double) -> String {
        ScoreFormat.fixed(abs(v) < step * 1e-6 ? 0 : v, decimals)
    }

    private static func pow10(_ x: Double) -> Double {
        x > 0 ? Foundation.pow(10, (log10(x)).rounded(.down)) : 1
    }
}

/// Sequential colour ramp for heatmaps: white (0) through light blue to dark navy (1), even in
/// perceived lightness steps so small weights stay visible against zero.
enum HeatColor {
    private static let stops: [(Double, Double, Double)] = [
        (255, 255, 255), (222, 235, 247), (158, 202, 225), (66, 146, 198), (8, 81, 156), (8, 37, 86),
    ]

    /// `#rrggbb` for a value in 0...1 (clamped; NaN gives mid grey).
    static func hex(_ value: Double) -> String {
        guard value.isFinite else { return "#bdbdbd" }
        let v = min(max(value, 0), 1) * Double(stops.count - 1)
        let i = min(Int(v), stops.count - 2)
        let t = v - Double(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        return hexString(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Whether text drawn on `hex(value)` should be white.
    static func needsLightText(_ value: Double) -> Bool { value.isFinite && value > 0.55 }

    private static func hexString(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [r, g, b] { s.append(digits[c / 16]); s.append(digits[c % 16]) }
        return s
    }
}
