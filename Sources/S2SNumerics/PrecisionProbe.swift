#if canImport(Glibc)
import Glibc
#endif
import CDNNL

/// The short one-time measurement behind `--precision auto` on CPUs with AVX512-BF16 and no AMX:
/// how much faster one weight GEMM runs in bf16 than in fp32 (`PrecisionPlan.choose` takes bf16
/// GEMMs at ≥ 1.15×).
///
/// The shape is a decoder/training product with a packed weight, x [256, 1024] · Wᵀ [1024, 2048]
/// (1.07 GFLOP, ~8 ms in fp32 at 2 threads): big enough that the kernels, not call overhead,
/// decide. Each precision runs once to create its primitive and pack the weight, then the two
/// alternate three times and the fastest of each counts (a burst of load from another process
/// slows a run; nothing makes one faster). About 0.1 s, once per machine: the result is kept in
/// `$XDG_CACHE_HOME/s2s/precision-probe.tsv` (else `~/.cache/…`) under a key naming the CPU
/// model, oneDNN version, ISA and thread count, so a changed machine or library measures again.
/// `S2S_BF16_GEMM_SPEEDUP=x` skips both (experiments, and tests that need a fixed choice).
package enum PrecisionProbe {
    /// fp32 time ÷ bf16 time; measured, cached or from the environment (once per process).
    package static func bf16GemmSpeedup() -> Double { cachedSpeedup }

    private static let cachedSpeedup: Double = {
        if let v = getenv("S2S_BF16_GEMM_SPEEDUP").flatMap({ Double(String(cString: $0)) }), v > 0 { return v }
        let key = cacheKey()
        let file = cacheFile()
        if let file, let stored = readCache(file)[key] { return stored }
        let measured = measure()
        if let file { writeCache(file, key: key, value: measured) }
        return measured
    }()

    /// Times the two precisions on this CPU now (uncached).
    package static func measure() -> Double {
        var rng = PCG32(seed: 7)
        let x = Tensor(shape: [256, 1024]), w = Tensor(shape: [2048, 1024]), y = Tensor(shape: [256, 2048])
        for i in 0..<x.count { x[i] = rng.uniform(-1, 1) }
        for i in 0..<w.count { w[i] = rng.uniform(-0.05, 0.05) }
        func seconds(_ p: Precision) -> Double {
            let t0 = Stopwatch.now()
            Matmul.gemm(x.matrix, weight: w, transB: true, into: y.matrix, precision: p)
            return Stopwatch.now() - t0
        }
        _ = seconds(.fp32); _ = seconds(.bf16)
        var best32 = Double.infinity, best16 = Double.infinity
        for _ in 0..<3 {
            best32 = min(best32, seconds(.fp32))
            best16 = min(best16, seconds(.bf16))
        }
        return best16 > 0 ? best32 / best16 : 1
    }

    /// "model name|family|model|oneDNN x.y.z|isa|threads N": what the figure depends on.
    static func cacheKey() -> String {
        var cpu = "unknown CPU"
        if let f = fopen("/proc/cpuinfo", "r") {
            defer { fclose(f) }
            var fields: [String: String] = [:]
            var line = [CChar](repeating: 0, count: 1024)
            while fgets(&line, Int32(line.count), f) != nil {
                let text = String(cString: line)
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
        return [cpu, library, CPUISA.effective.name, "threads \(EngineThreads.current)"].joined(separator: "|")
    }

    static func cacheFile() -> String? {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return xdg + "/s2s/precision-probe.tsv"
        }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home + "/.cache/s2s/precision-probe.tsv"
    }

    /// key → speedup; unreadable or malformed lines are ignored (the cache is only a shortcut).
    static func readCache(_ path: String) -> [String: Double] {
        guard let f = fopen(path, "r") else { return [:] }
        defer { fclose(f) }
        var entries: [String: Double] = [:]
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), f) != nil {
            let parts = String(cString: line).split(separator: "\t")
            guard parts.count == 2, let v = Double(parts[1].trimmingSpaces), v > 0 else { continue }
            entries[String(parts[0])] = v
        }
        return entries
    }

    /// Adds or replaces one entry: written to a temporary file and renamed over the old one, so
    /// concurrent processes never read half a file. Failing to write costs only a later re-probe.
    static func writeCache(_ path: String, key: String, value: Double) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = String(path[..<slash])
        let parent = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? directory
        mkdir(parent, 0o755)
        mkdir(directory, 0o755)
        var entries = readCache(path)
        entries[key] = value
        let temporary = path + ".\(getpid()).tmp"
        guard let f = fopen(temporary, "w") else { return }
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) { fputs("\(k)\t\(v)\n", f) }
        if fclose(f) == 0 { rename(temporary, path) } else { unlink(temporary) }
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed())
    }
}
