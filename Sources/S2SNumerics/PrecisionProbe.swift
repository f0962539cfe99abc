#if canImport(Glibc)
import Glibc
#endif
import CDNNL
import CKernels

/// The short one-time measurement behind `--precision auto` on CPUs with AVX512-BF16 and no AMX,
/// of the two places where the bf16 instructions win on one vendor and lose on the other:
/// - `gemm`: fp32 time ÷ bf16 time of one weight GEMM, x [256, 1024] · Wᵀ [1024, 2048] (1.07
///   GFLOP, ~8 ms in fp32 at 2 threads; `PrecisionPlan.choose` takes bf16 GEMMs at ≥ 1.15×);
/// - `dot`: widening-kernel time ÷ dot-product-kernel time of the bf16 streaming product at 5
///   rows (a beam) against a bf16 W [2048, 1024] (4 MB, cache-resident, so the instructions and
///   not memory decide; at 1 row both kernels wait on memory alike).
/// Each variant runs once to warm up (primitive creation, weight packing), then the variants
/// alternate five times and the fastest of each counts (a burst of load from another process
/// slows a run; nothing makes one faster). About 0.15 s, once per machine: the result is kept in
/// `$XDG_CACHE_HOME/s2s/precision-probe.tsv` (else `~/.cache/…`) under a key naming the CPU
/// model, oneDNN version, ISA and thread count, so a changed machine or library measures again.
/// `S2S_BF16_GEMM_SPEEDUP=x` (and `S2S_BF16_DOT_SPEEDUP=y`, default 1) skip both (experiments,
/// and tests that need a fixed choice).
package enum PrecisionProbe {
    package struct Result: Sendable, Equatable {
        package var gemm: Double
        package var dot: Double
        package init(gemm: Double, dot: Double) { self.gemm = gemm; self.dot = dot }
    }

    /// Measured, cached or from the environment (once per process).
    package static func result() -> Result { cachedResult }

    private static let cachedResult: Result = {
        func environment(_ name: String) -> Double? {
            getenv(name).flatMap { Double(String(cString: $0)) }.flatMap { $0 > 0 ? $0 : nil }
        }
        if let gemm = environment("S2S_BF16_GEMM_SPEEDUP") {
            return Result(gemm: gemm, dot: environment("S2S_BF16_DOT_SPEEDUP") ?? 1)
        }
        let key = cacheKey()
        let file = cacheFile()
        if let file, let stored = readCache(file)[key] { return stored }
        let measured = measure()
        if let file { writeCache(file, key: key, value: measured) }
        return measured
    }()

    /// Times the variants on this CPU now (uncached; no process-wide setting changes).
    package static func measure() -> Result {
        var rng = PCG32(seed: 7)
        let x = Tensor(shape: [256, 1024]), w = Tensor(shape: [2048, 1024]), y = Tensor(shape: [256, 2048])
        for i in 0..<x.count { x[i] = rng.uniform(-1, 1) }
        for i in 0..<w.count { w[i] = rng.uniform(-0.05, 0.05) }
        func gemm(_ p: Precision) -> Double {
            let t0 = Stopwatch.now()
            Matmul.gemm(x.matrix, weight: w, transB: true, into: y.matrix, precision: p)
            return Stopwatch.now() - t0
        }
        let wb = [UInt16](unsafeUninitializedCapacity: w.count) { buffer, count in
            s2s_f32_to_bf16(w.data, 1024, buffer.baseAddress, 1024, 2048, 1024)
            count = w.count
        }
        func streaming(dot: Bool) -> Double {
            let t0 = Stopwatch.now()
            for _ in 0..<16 { s2s_gemv_rows_bf16_kernel(5, 2048, 1024, x.data, 1024, wb, 1024, nil, y.data, 2048, dot ? 1 : 0) }
            return Stopwatch.now() - t0
        }
        _ = gemm(.fp32); _ = gemm(.bf16); _ = streaming(dot: false); _ = streaming(dot: true)
        var best = [Double](repeating: .infinity, count: 4)
        for _ in 0..<5 {
            best[0] = min(best[0], gemm(.fp32))
            best[1] = min(best[1], gemm(.bf16))
            best[2] = min(best[2], streaming(dot: false))
            best[3] = min(best[3], streaming(dot: true))
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 && a.isFinite ? a / b : 1 }
        return Result(gemm: ratio(best[0], best[1]), dot: ratio(best[2], best[3]))
    }

    /// "model name|family|model|oneDNN x.y.z|isa|threads N[|debug]": what the figures depend on.
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
        #if DEBUG
        let build = "|debug"   // unoptimized C kernels measure nothing about the release ones
        #else
        let build = ""
        #endif
        return [cpu, library, CPUISA.effective.name, "threads \(EngineThreads.current)"].joined(separator: "|") + build
    }

    static func cacheFile() -> String? {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return xdg + "/s2s/precision-probe.tsv"
        }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home + "/.cache/s2s/precision-probe.tsv"
    }

    /// key → result, from lines "key<TAB>gemm<TAB>dot"; unreadable or malformed lines are
    /// ignored (the cache is only a shortcut).
    static func readCache(_ path: String) -> [String: Result] {
        guard let f = fopen(path, "r") else { return [:] }
        defer { fclose(f) }
        var entries: [String: Result] = [:]
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), f) != nil {
            let parts = String(cString: line).split(separator: "\t")
            guard parts.count == 3, let gemm = Double(parts[1].trimmingSpaces), let dot = Double(parts[2].trimmingSpaces),
                  gemm > 0, dot > 0 else { continue }
            entries[String(parts[0])] = Result(gemm: gemm, dot: dot)
        }
        return entries
    }

    /// Adds or replaces one entry: written to a temporary file and renamed over the old one, so
    /// concurrent processes never read half a file. Failing to write costs only a later re-probe.
    static func writeCache(_ path: String, key: String, value: Result) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let directory = String(path[..<slash])
        let parent = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? directory
        mkdir(parent, 0o755)
        mkdir(directory, 0o755)
        var entries = readCache(path)
        entries[key] = value
        let temporary = path + ".\(getpid()).tmp"
        guard let f = fopen(temporary, "w") else { return }
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) { fputs("\(k)\t\(v.gemm)\t\(v.dot)\n", f) }
        if fclose(f) == 0 { rename(temporary, path) } else { unlink(temporary) }
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed())
    }
}
