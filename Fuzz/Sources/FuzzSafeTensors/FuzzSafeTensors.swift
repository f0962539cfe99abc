import Foundation
import FuzzSupport
import S2SBundle
import S2SModel
import S2SNumerics

// The safetensors reader on arbitrary bytes (header length, header JSON, dtypes, shapes,
// offsets, truncation): either a SafeTensorsError or a file whose every tensor reads with the
// element count its shape promises.

nonisolated(unsafe) private var path = ""


/// Small valid files of every storage, written by the library's own writer.
private func seeds() -> [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    for storage in SafeTensorsFile.FloatStorage.allCases {
        var file = SafeTensorsFile(metadata: ["format": "fuzz", "note": "seed"])
        let t = Tensor(shape: [2, 3])
        for i in 0..<6 { t.data[i] = Float(i) - 2.5 }
        file.set("w", t, as: storage)
        file.set("empty", Tensor(shape: [0, 4]), as: storage)
        try? file.set("step", integers: [7, -1, 1 << 40], shape: [3])
        let seedPath = "\(FuzzSupport.scratch)/seed-\(storage).safetensors"
        guard (try? file.write(to: seedPath)) != nil,
              let bytes = FileManager.default.contents(atPath: seedPath) else { continue }
        out["\(storage).safetensors"] = Array(bytes)
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.write(FuzzSupport.buffer(data, size), to: path)
    guard let file = try? SafeTensorsFile.read(from: path) else { return 0 }
    for name in file.names {
        guard let shape = file.shape(of: name) else { FuzzSupport.check(false, "no shape for \(name)"); continue }
        let count = shape.reduce(1, *)
        if let t = try? file.tensor(name) {
            FuzzSupport.check(t.count == count, "\(name): \(t.count) values for shape \(shape)")
            var sum: Float = 0
            for i in 0..<t.count { sum += t.data[i] }
            _ = sum
        } else if let v = try? file.integers(name) {
            FuzzSupport.check(v.count == count, "\(name): \(v.count) integers for shape \(shape)")
        } else {
            FuzzSupport.check(false, "\(name) is neither float nor integer")
        }
    }
    return 0
}

@_cdecl("FuzzSafeTensors_main")
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    path = "\(FuzzSupport.scratch)/fuzz.safetensors"
    FuzzSupport.writeSeeds(seeds())
    return FuzzSupport.main(argc, argv, fuzzSafeTensors)
}
