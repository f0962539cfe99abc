import Foundation
import FuzzSupport
import S2SText

// `pipeline.json` on arbitrary bytes, in a directory with a real (small) BPE codes file and
// vocabularies: either a clear error or a pipeline pair that encodes and decodes a sentence.

nonisolated(unsafe) private var directory = ""


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.write(FuzzSupport.buffer(data, size), to: "\(directory)/\(PipelineConfig.fileName)")
    guard let pair = try? TextPipelinePair(directory: directory) else { return 0 }
    if let (source, target) = try? pair.encode(source: "A man is riding a bike.", target: "Ein Mann fährt Fahrrad.") {
        _ = pair.source.decode(source)
        _ = pair.target.decode(target)
        FuzzSupport.check(source.allSatisfy { $0 >= 0 && Int($0) < pair.source.vocabulary.count }, "source id out of range")
        FuzzSupport.check(target.allSatisfy { $0 >= 0 && Int($0) < pair.target.vocabulary.count }, "target id out of range")
    }
    return 0
}

@_cdecl("FuzzPipeline_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    directory = FuzzSupport.vocabularyDirectory
    let config = (try? Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(PipelineConfig.fileName)"))) ?? Data()
    FuzzSupport.writeSeeds(["pipeline.json": Array(config)])
    return FuzzSupport.main(argc, argv, fuzzPipeline)
}
