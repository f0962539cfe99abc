import Foundation
import Synchronization
import Testing
@testable import S2SNumerics

/// Tests that change the process-wide thread count run one after the other (no other test
/// changes it; elsewhere the count only affects speed).
@Suite(.serialized) struct ThreadCountTests {

    /// The thread count is process-wide: a count set on one thread governs GEMMs issued from any
    /// other (OpenMP alone keeps it per thread).
    @Test func threadCountReachesOtherThreads() {
        let before = EngineThreads.current
        defer { EngineThreads.set(before) }
        EngineThreads.set(1)
        let seen = Mutex(0)
        let t = Thread { seen.withLock { $0 = EngineThreads.current } }
        t.start()
        while !t.isFinished { usleep(1000) }
        #expect(seen.withLock { $0 } == 1)
        EngineThreads.set(2)
        #expect(EngineThreads.current == 2)
    }

    /// Split over two threads, the cross-entropy gradient is bit-identical to one thread's, and
    /// the loss differs only by the order of the final partial sums.
    @Test func crossEntropyIsTheSameOnOneAndTwoThreads() {
        var rng = PCG32(seed: 41)
        let rows = 400, cols = 1000
        let logits = randomTensor([rows, cols], &rng)
        let targets = (0..<rows).map { _ in Int32(rng.nextUInt32() % UInt32(cols)) }
        let before = EngineThreads.current
        defer { EngineThreads.set(before) }
        var results: [(Double, [Float])] = []
        for threads in [1, 2] {
            EngineThreads.set(threads)
            let g = Tensor(shape: [rows, cols])
            let (loss, _) = Kernels.softmaxCrossEntropy(logits: logits.matrix, targets: targets, ignoreIndex: -1,
                                                        labelSmoothing: 0.1, gradient: g.matrix, gradScale: 0.01)
            results.append((loss, g.array))
        }
        #expect(results[0].1 == results[1].1)
        #expect(abs(results[0].0 - results[1].0) <= 1e-12 * results[0].0)
    }
}
