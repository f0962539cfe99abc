import Foundation
import FuzzSupport
import S2SBundle
import S2SModel

// The model bundle loader: arbitrary bytes as `model.safetensors` beside a real vocabulary
// (the seed is a real tiny model saved by `ModelBundle.save`, so mutations reach the header's
// format, kind, model_config JSON, vocabulary hashes and the parameter shapes). Either a
// ModelBundleError or a model whose parameters all have the shapes its config asks for.

nonisolated(unsafe) private var directory = ""


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelBundle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.write(FuzzSupport.buffer(data, size), to: "\(directory)/\(ModelBundle.modelFileName)")
    _ = try? ModelBundle.read(directory)
    guard let (model, pipelines, _) = try? ModelBundle.load(directory: directory) else { return 0 }
    FuzzSupport.check(model.config.sourceVocabulary == pipelines.source.vocabulary.count, "source vocabulary size")
    FuzzSupport.check(model.config.targetVocabulary == pipelines.target.vocabulary.count, "target vocabulary size")
    for p in model.parameters.all {
        FuzzSupport.check(p.value.count == p.value.shape.reduce(1, *), "\(p.name): count vs shape")
    }
    return 0
}

@_cdecl("FuzzModelBundle_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    directory = FuzzSupport.modelDirectory
    let model = FileManager.default.contents(atPath: "\(directory)/\(ModelBundle.modelFileName)") ?? Data()
    FuzzSupport.writeSeeds(["tiny-f16.safetensors": Array(model)])
    return FuzzSupport.main(argc, argv, fuzzModelBundle)
}
