#if canImport(Glibc)
import Glibc
#endif
import FuzzSupport
import S2SCorpus

// The corpus importers on arbitrary bytes. The first byte picks the form: aligned files (the
// rest split at the first NUL into source and target), a TSV file, a TSV file with --skip-bad,
// or TSV on stdin (the file put on fd 0). Each import goes into a fresh database. Either a clear
// CorpusError with nothing imported (all or none), or a report whose counts add up and match
// what the corpus then holds.

nonisolated(unsafe) private var iteration = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzSupport.buffer(data, size)
    guard let mode = input.first else { return 0 }
    let body = Array(input.dropFirst())
    let dir = FuzzSupport.scratch
    let database = "\(dir)/fuzz.db"
    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(database + suffix) }
    iteration += 1

    let source: ImportSource
    var savedStdin: Int32 = -1
    switch mode % 4 {
    case 0:
        let cut = body.firstIndex(of: 0) ?? body.count
        FuzzSupport.write(Array(body[..<cut]), to: "\(dir)/src.txt")
        FuzzSupport.write(Array(body[min(cut + 1, body.count)...]), to: "\(dir)/tgt.txt")
        source = .alignedFiles(source: "\(dir)/src.txt", target: "\(dir)/tgt.txt")
    case 3:
        FuzzSupport.write(body, to: "\(dir)/stdin.tsv")
        let fd = open("\(dir)/stdin.tsv", O_RDONLY)
        savedStdin = dup(0)
        dup2(fd, 0)
        close(fd)
        source = .tsv(path: "-")
    default:
        FuzzSupport.write(body, to: "\(dir)/pairs.tsv")
        source = .tsv(path: "\(dir)/pairs.tsv")
    }
    defer { if savedStdin >= 0 { dup2(savedStdin, 0); close(savedStdin) } }

    do {
        let store = try CorpusStore(path: database)
        let options = ImportOptions(corpus: "fuzz", sourceLanguage: "en", targetLanguage: "de",
                                    maxLength: mode & 0x10 != 0 ? 8 : nil, maxRatio: mode & 0x20 != 0 ? 2 : nil,
                                    lengthUnit: mode & 0x40 != 0 ? .chars : .words,
                                    skipBad: mode % 4 == 2, keepDuplicates: mode & 0x80 != 0)
        let report: ImportReport
        do {
            report = try store.importPairs(from: source, options: options, isCancelled: { false })
        } catch {
            // All or none: a refused import leaves no corpus behind.
            FuzzSupport.check((try? store.stats(corpus: "fuzz")) == nil, "refused import left a corpus: \(error)")
            return 0
        }
        let sum = report.imported + report.duplicates + report.empty + report.tooLong + report.badRatio + report.badLines
        FuzzSupport.check(report.read == sum, "read \(report.read) ≠ sum of outcomes \(sum)")
        var held = 0
        try store.forEachPair(corpus: "fuzz") { _ in held += 1 }
        FuzzSupport.check(held == report.imported, "corpus holds \(held) pairs, report says \(report.imported)")
    } catch {
        FuzzSupport.check(false, "harness: \(error)")
    }
    return 0
}

@_cdecl("FuzzImport_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    return FuzzSupport.main(argc, argv, fuzzImport)
}
