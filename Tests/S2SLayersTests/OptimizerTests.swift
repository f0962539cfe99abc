import Foundation
import Testing
import S2SLayers
import S2SNumerics

private func twoParameters(_ values: [Float], _ grads: [Float]) -> ParameterSet {
    let set = ParameterSet()
    let a = set.add("a", shape: [2]), b = set.add("b", shape: [1])
    for i in 0..<2 { a.value[i] = values[i]; a.grad[i] = grads[i] }
    b.value[0] = values[2]
    b.grad[0] = grads[2]
    return set
}

@Test func sgdMomentumFollowsPyTorch() {
    let set = twoParameters([1, -2, 0.5], [0.1, 0.2, -0.3])
    let sgd = SGD(momentum: 0.9)
    sgd.step(set, lr: 0.1)            // b = g
    sgd.step(set, lr: 0.1)            // b = 0.9 g + g
    let a = set["a"]!.value
    #expect(abs(a[0] - (1 - 0.1 * 0.1 - 0.1 * 0.19)) <= 1e-6)
    #expect(abs(set["b"]!.value[0] - (0.5 + 0.03 + 0.057)) <= 1e-6)
    #expect(sgd.stepCount == 2)
}

@Test func adamMatchesClosedFormFirstStepsAndResumesFromState() throws {
    let set = twoParameters([1, -2, 0.5], [0.1, -0.2, 0.3])
    let adam = Adam()
    adam.step(set, lr: 0.01)
    // First Adam step moves every weight by lr · sign(g) (bias-corrected m/√v = ±1).
    #expect(abs(set["a"]!.value[0] - (1 - 0.01)) <= 1e-5)
    #expect(abs(set["a"]!.value[1] - (-2 + 0.01)) <= 1e-5)
    // Export, continue twice; a fresh optimizer loaded from the export must do the same.
    let saved = Dictionary(uniqueKeysWithValues: adam.stateTensors().map { ($0.name, $0.tensor.clone()) })
    let values = set.all.map { $0.value.clone() }
    adam.step(set, lr: 0.01)
    adam.step(set, lr: 0.01)
    let expected = set.all.map { $0.value.array }
    for (p, v) in zip(set.all, values) { p.value.copy(from: v) }
    let resumed = Adam()
    try resumed.loadState(saved, parameters: set)
    #expect(resumed.stepCount == 1)
    resumed.step(set, lr: 0.01)
    resumed.step(set, lr: 0.01)
    #expect(set.all.map { $0.value.array } == expected)
    #expect(throws: LayerError.self) { try Adam().loadState([:], parameters: set) }
}

@Test func globalNormClippingScalesAllGradients() {
    let set = twoParameters([0, 0, 0], [3, 0, 4])
    let norm = GradientClipping.clipGlobalNorm(set, maxNorm: 1)
    #expect(abs(norm - 5) <= 1e-6)
    #expect(abs(set["a"]!.grad[0] - 0.6) <= 1e-5 && abs(set["b"]!.grad[0] - 0.8) <= 1e-5)
    let small = twoParameters([0, 0, 0], [0.3, 0, 0.4])
    GradientClipping.clipGlobalNorm(small, maxNorm: 1)
    #expect(small["a"]!.grad[0] == 0.3)
}

@Test func learningRateSchedules() throws {
    #expect(LearningRateScheduler(.constant(0.5)).rate(step: 1000) == 0.5)
    let warm = LearningRateScheduler(.warmupInverseSqrt(peak: 1e-3, warmupSteps: 100))
    #expect(abs(warm.rate(step: 49) - 5e-4) <= 1e-9)
    #expect(abs(warm.rate(step: 99) - 1e-3) <= 1e-9)
    #expect(abs(warm.rate(step: 399) - 5e-4) <= 1e-9)
    var plateau = LearningRateScheduler(.decayOnPlateau(initial: 1, factor: 0.5, patience: 1, minimum: 0.2, threshold: 1e-4))
    let decays = [3, 2.5, 2.6, 2.55].map { plateau.reportValidation(loss: $0) }
    // 2.6 is one bad validation (within patience), 2.55 a second: decay.
    #expect(decays == [false, false, false, true])
    #expect(plateau.rate(step: 0) == 0.5)
    _ = plateau.reportValidation(loss: 9); _ = plateau.reportValidation(loss: 9)
    _ = plateau.reportValidation(loss: 9); _ = plateau.reportValidation(loss: 9)
    #expect(plateau.rate(step: 0) == 0.2)             // never below the minimum
    let data = try JSONEncoder().encode(plateau)
    #expect(try JSONDecoder().decode(LearningRateScheduler.self, from: data) == plateau)
}

@Test func initializersHaveTheirStatistics() {
    var rng = PCG32(seed: 4)
    let w = Tensor(shape: [12, 3])
    Initializer.orthogonal(blockRows: 3).fill(w, rng: &rng)
    // Each 3×3 block has orthonormal rows.
    for block in 0..<4 {
        for i in 0..<3 {
            for j in 0..<3 {
                var dot: Float = 0
                for k in 0..<3 { dot += w.matrix[block * 3 + i, k] * w.matrix[block * 3 + j, k] }
                #expect(abs(dot - (i == j ? 1 : 0)) <= 1e-5)
            }
        }
    }
    let x = Tensor(shape: [200, 300])
    Initializer.xavierUniform().fill(x, rng: &rng)
    let bound = (6.0 / 500.0).squareRoot()
    #expect(x.array.allSatisfy { abs(Double($0)) <= bound })
    #expect(x.array.contains { abs(Double($0)) > 0.9 * bound })
}
