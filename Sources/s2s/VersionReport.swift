import CDNNL
import CICU
import S2SNumerics

/// What `s2s --version` prints: the release, the git commit of the build (`buildCommit`, written
/// by the BuildCommit plugin at build time), and the oneDNN and ICU versions found at run time,
/// which are the shared libraries the system loaded, not the headers s2s was compiled against;
/// then what `--precision auto` resolves to on this CPU (it may run the one-time probe).
enum VersionReport {
    /// The release number; `make deb` names the package after it.
    static let version = "0.1.0"

    static var text: String {
        "s2s \(version) (commit \(buildCommit))\noneDNN \(oneDNN)\nICU \(icu)\nprecision auto: \(PrecisionPlan.resolve(.auto).0)"
    }

    static var oneDNN: String {
        guard let v = dnnl_version()?.pointee else { return "unknown" }
        let hash = v.hash.map { String(cString: $0) } ?? ""
        return "\(v.major).\(v.minor).\(v.patch)" + (hash.isEmpty || hash == "N/A" ? "" : " (\(hash))")
    }

    static var icu: String {
        var buffer = [CChar](repeating: 0, count: 32)
        guard s2s_icu_version(&buffer, Int32(buffer.count)) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
