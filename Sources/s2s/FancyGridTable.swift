/// The `tabulate(..., tablefmt='fancy_grid', colalign=('right',), stralign='center')` table
/// sacrebleu prints for paired tests (tabulate 0.10, no colours), for string cells: a column is
/// as wide as its widest cell line or its header plus 2, padded by one space; the first column
/// is right-aligned, the others centred (an odd leftover space goes right, as Python's `^`);
/// a cell may hold several lines, and its row is as tall as its tallest cell.
struct FancyGridTable {
    let headers: [String]
    let rows: [[String]]

    func render() -> String {
        let columns = headers.count
        let cells = rows.map { $0.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } }
        let widths = (0..<columns).map { c in
            max(headers[c].count + 2, cells.map { row in row[c].map(\.count).max() ?? 0 }.max() ?? 0)
        }
        func align(_ s: String, _ c: Int) -> String {
            let room = widths[c] - s.count
            if c == 0 { return String(repeating: " ", count: room) + s }
            return String(repeating: " ", count: room / 2) + s + String(repeating: " ", count: room - room / 2)
        }
        func rule(_ left: String, _ fill: String, _ mid: String, _ right: String) -> String {
            left + widths.map { String(repeating: fill, count: $0 + 2) }.joined(separator: mid) + right
        }
        func line(_ texts: [String]) -> String {
            "│" + texts.enumerated().map { " " + align($1, $0) + " " }.joined(separator: "│") + "│"
        }
        var out = [rule("╒", "═", "╤", "╕"), line(headers), rule("╞", "═", "╪", "╡")]
        for (r, row) in cells.enumerated() {
            if r > 0 { out.append(rule("├", "─", "┼", "┤")) }
            let height = row.map(\.count).max() ?? 1
            for k in 0..<height { out.append(line(row.map { k < $0.count ? $0[k] : "" })) }
        }
        out.append(rule("╘", "═", "╧", "╛"))
        return out.joined(separator: "\n")
    }
}
