import Testing
import S2SLayers
import S2SNumerics

@Test func parameterSetLoadsByNameAndRejectsShapes() throws {
    let p = ParameterSet()
    p.add("a.weight", shape: [2, 3])
    p.add("a.bias", shape: [2])
    #expect(p.scalarCount == 8)
    #expect(throws: LayerError.missingTensor(name: "a.bias", expectedShape: [2])) {
        try p.load(["a.weight": Tensor(shape: [2, 3])])
    }
    #expect(throws: LayerError.shapeMismatch(name: "a.weight", expected: [2, 3], found: [3, 2])) {
        try p.load(["a.weight": Tensor(shape: [3, 2]), "a.bias": Tensor(shape: [2])])
    }
    #expect(throws: LayerError.unexpectedTensor(name: "b")) {
        try p.load(["a.weight": Tensor(shape: [2, 3]), "a.bias": Tensor(shape: [2]), "b": Tensor(shape: [1])])
    }
    try p.load(["a.weight": Tensor(shape: [2, 3], repeating: 1.5), "a.bias": Tensor(shape: [2], repeating: -1)])
    #expect(p["a.weight"]!.value[5] == 1.5 && p["a.bias"]!.value[1] == -1)
}
