#if canImport(Glibc)
import Glibc
#endif
import CDNNL

/// Where one-time kernel measurements (`PrecisionProbe`, `GemmKernelProbe`) are kept between
/// runs: `$XDG_CACHE_HOME/s2s/<name>.tsv` (else `~/.cache/s2s/…`), one line per machine,
/// "key<TAB>value<TAB>…". The key names everything a timing depends on, so a changed CPU,
/// library, ISA limit or thread count measures again. The cache is only a shortcut: unreadable
/// or malformed lines are ignored and failing to write costs a later re-probe.
package enum ProbeCache {
    /// "model name|family|model|oneDNN x.y.z|isa|threads N[|debug]".
    package static func machineKey() -> String {
        var cpu = "unknown CPU"
        if let f = fopen("/proc/cpuinfo", "r") {
            defer { fclose(f) }
            var fields: [String: String] = [:]
            var line = [CChar](repeating: 0, count: 1024)
            while fgets(&line, Int32(line.count), f) != nil {
                let text = cLine(line)
                if text == "\n" { break }   // the first processor's block is enough
                let parts = text.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingSpaces, value = parts[1].trimmingSpaces
                if ["model name", "cpu family", "model"].contains(name) { fields[name] = value }
            }
            cpu = [fields["model name"], fields["cpu family"], fields["model"]].map { $0 ?? "?" }.joined(separator: "|")
        }
        var library = "oneDNN ?"
        if let v = dnnl_version()?.pointee { library = "oneDNN \(v.major).\(v.minor).\(v.patch)" }
        #if DEBUG
        let build = "|debug"   // unoptimized C kernels measure nothing about the release ones
        #else
        let build = ""
        #endif
        return [cpu, library, CPUISA.effective.name, "threads \(EngineThreads.current)"].joined(separator: "|") + build
    }

    /// The cache file called `name` (nil without a home directory: then every run measures).
    package static func file(_ name: String) -> String? {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return xdg + "/s2s/\(name).tsv"
        }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home + "/.cache/s2s/\(name).tsv"
    }

    /// key → values, from lines with exactly `columns` positive numbers after the key.
    package static func read(_ path: String, columns: Int) -> [String: [Double]] {
        guard let f = fopen(path, "r") else { return [:] }
        defer { fclose(f) }
        var entries: [String: [Double]] = [:]
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), f) != nil {
            let parts = cLine(line).split(separator: "\t")
            guard parts.count == columns + 1 else { continue }
            let values = parts.dropFirst().compactMap { Double($0.trimmingSpaces) }.filter { $0 > 0 && $0.isFinite }
            if values.count == columns { entries[String(parts[0])] = values }
        }
        return entries
    }

    /// Adds or replaces one entry: written to a temporary file and renamed over the old one, so
    /// concurrent processes never read half a file.
    package static func write(_ path: String, key: String, values: [Double]) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = String(path[..<slash])
        let parent = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? directory
        mkdir(parent, 0o755)
        mkdir(directory, 0o755)
        var entries = read(path, columns: values.count)
        entries[key] = values
        let temporary = path + ".\(getpid()).tmp"
        guard let f = fopen(temporary, "w") else { return }
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
            fputs(([k] + v.map { "\($0)" }).joined(separator: "\t") + "\n", f)
        }
        if fclose(f) == 0 { rename(temporary, path) } else { unlink(temporary) }
    }

    /// This machine's entry of the cache file `name`, else `measure()` now (stored for next time):
    /// the one lookup both probes make.
    package static func values(_ name: String, columns: Int, measure: () -> [Double]) -> [Double] {
        let key = machineKey()
        let path = file(name)
        if let path, let stored = read(path, columns: columns)[key] { return stored }
        let measured = measure()
        if let path { write(path, key: key, values: measured) }
        return measured
    }

    /// An environment variable holding a positive number (the probes' overrides).
    package static func environment(_ name: String) -> Double? {
        getenv(name).flatMap { Double(String(cString: $0)) }.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    }
}

/// The text `fgets` left in `buffer`, up to its terminating zero.
private func cLine(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed())
    }
}
