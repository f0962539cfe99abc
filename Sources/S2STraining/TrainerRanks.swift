import Foundation
import S2SCorpus
import S2SDistributed
import S2SLayers
import S2SModel
import S2SNumerics

/// What the ranks of a data-parallel run share, and when.
///
/// Every rank holds the whole model and steps through the same global batches; each computes
/// the gradient of its share, the gradients are summed (`GradientAllreduce`), and every rank
/// applies the same update. Decisions that change the run (validation, the schedule, early
/// stopping, rollbacks, checkpoints) are taken on rank 0 alone, in `onRoot`, and its state then
/// goes to the others, so every branch of the loop is taken by all ranks alike.
extension Trainer {
    var isRoot: Bool { communicator.rank == 0 }

    /// Before the first step: the same options, vocabulary and corpus on every rank (refused,
    /// naming the item, otherwise); rank 0's parameters, optimizer and trainer state everywhere
    /// (it alone read the checkpoint); then rank 0 writes the output directory.
    func synchronizeStart() throws {
        if communicator.size > 1 {
            try checkAgreement()
            try shareRootState(parameters: true)
        }
        var failure: (any Error)?
        if isRoot {
            do { try prepareOutput() } catch { failure = error }
        }
        try communicator.agree(failure)
    }

    /// Compares what must be equal on all ranks, in an order that pins a difference down: the
    /// options, then the vocabulary, then the corpus (the batches' fingerprint covers pair ids,
    /// lengths, vocabulary and batching, so with the first two equal it differs only by corpus).
    private func checkAgreement() throws {
        var neutral = options
        neutral.threads = 0   // threads may differ between hosts: the arithmetic does not
        // What is compared (`key`) is content, never a path: hosts may keep their copies anywhere.
        let items: [(name: String, key: String, shown: String)] = [
            ("options", neutral.json, ""),
            ("vocabulary", pipelines.cacheKey, "\(data.vocabulary) (content \(pipelines.cacheKey.prefix(16)))"),
            ("corpus", "\(trainingPairs) \(batcher.fingerprint)",
             "\(trainingPairs) training pairs of '\(data.corpus)' in \(data.database) (fingerprint \(String(batcher.fingerprint, radix: 16)))"),
        ]
        let mine = try JSONEncoder().encode(items.flatMap { [$0.key, $0.shown] })
        let all = try communicator.allgather(Array(mine))
        let hosts = try communicator.allgather(Array(communicator.hostName.utf8))
        let root = try JSONDecoder().decode([String].self, from: Data(all[0]))
        for r in 1..<all.count {
            guard let theirs = try? JSONDecoder().decode([String].self, from: Data(all[r])), theirs.count == root.count else {
                throw DistributedError.malformed(what: "agreement record of rank \(r)")
            }
            for (i, item) in items.enumerated() where theirs[2 * i] != root[2 * i] {
                let detail = item.name == "options" ? Self.optionDifference(root[2 * i], theirs[2 * i], rank: r)
                                                    : "rank 0 has \(root[2 * i + 1]); rank \(r) has \(theirs[2 * i + 1])"
                throw DistributedError.mismatch(item: item.name, rank: r, host: String(decoding: hosts[r], as: UTF8.self),
                                                detail: detail)
            }
        }
    }

    /// Names the options that differ between two configurations' JSON.
    static func optionDifference(_ a: String, _ b: String, rank: Int) -> String {
        func flat(_ json: String) -> [String: String] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
            var out: [String: String] = [:]
            func walk(_ value: Any, _ path: String) {
                if let d = value as? [String: Any] {
                    for (k, v) in d { walk(v, path.isEmpty ? k : "\(path).\(k)") }
                } else {
                    out[path] = "\(value)"
                }
            }
            walk(object, "")
            return out
        }
        let x = flat(a), y = flat(b)
        let keys = Set(x.keys).union(y.keys).filter { x[$0] != y[$0] }.sorted()
        return keys.map { "\($0) \(x[$0] ?? "–") on rank 0, \(y[$0] ?? "–") on rank \(rank)" }.joined(separator: "; ")
    }

    /// Runs `body` (validation, checkpoints, rollbacks) on rank 0 alone and gives every rank its
    /// outcome: rank 0's trainer state, and its parameters and optimizer when it rolled back to
    /// the checkpoint. A failure on rank 0 ends every rank.
    func onRoot(_ body: () throws -> Void) throws {
        guard communicator.size > 1 else { return try body() }
        var failure: (any Error)?
        let rollbacks = state.rollbacks
        if isRoot {
            do { try body() } catch { failure = error }
        }
        try communicator.agree(failure)
        var rolledBack = [isRoot && state.rollbacks != rollbacks ? 1.0 : 0]
        try communicator.allreduceSum(&rolledBack)
        try shareRootState(parameters: rolledBack[0] > 0)
    }

    /// Rank 0's trainer state (and, with `parameters`, its parameter values and optimizer state)
    /// on every rank; the others move their batcher to the shared position.
    func shareRootState(parameters: Bool) throws {
        state = try communicator.broadcast(isRoot ? state : nil, as: TrainerState.self)
        if !isRoot { try batcher.restore(state.batcher) }
        guard parameters else { return }
        // Parameters first, then the optimizer's named buffers (which a fresh optimizer on the
        // other ranks may not have allocated yet, so their names and sizes travel too).
        struct Entry: Codable { var name: String; var count: Int }
        let stateTensors = isRoot ? optimizer.stateTensors() : []
        let layout = try communicator.broadcast(isRoot ? stateTensors.map { Entry(name: $0.name, count: $0.tensor.count) } : nil,
                                                as: [Entry].self)
        let floats = model.parameters.scalarCount + layout.reduce(0) { $0 + $1.count }
        var bytes = [UInt8](repeating: 0, count: isRoot ? floats * 4 : 0)
        if isRoot {
            bytes.withUnsafeMutableBytes { raw in
                var p = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                for t in model.parameters.all.map(\.value) + stateTensors.map(\.tensor) {
                    p.update(from: t.data, count: t.count)
                    p += t.count
                }
            }
        }
        try communicator.broadcast(&bytes, root: 0)
        guard !isRoot else { return }
        guard bytes.count == floats * 4 else { throw DistributedError.malformed(what: "parameters (\(bytes.count) bytes)") }
        var loaded: [String: Tensor] = [:]
        bytes.withUnsafeBytes { raw in
            var p = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            for param in model.parameters.all {
                param.value.data.update(from: p, count: param.count)
                p += param.count
            }
            for entry in layout {
                let t = Tensor(shape: [entry.count])
                t.data.update(from: p, count: entry.count)
                loaded[entry.name] = t
                p += entry.count
            }
        }
        let fresh = options.makeOptimizer()
        try fresh.loadState(loaded, parameters: model.parameters)
        optimizer = fresh
        model.parameters.bumpVersions()
    }

    /// Every rank must hold the same parameter bits after an update (same gradients, same
    /// step). Checked at checkpoints: a difference means a rank computed something else, and
    /// training on would silently average diverging models.
    func checkReplicas() throws {
        guard communicator.size > 1 else { return }
        var h: UInt64 = 0
        for p in model.parameters.all { h = (h ^ Kernels.checksum(p.value.data, count: p.count)) &* 0x100_0000_01b3 }
        let mine = (0..<8).map { UInt8(truncatingIfNeeded: h >> (8 * UInt64($0))) } + Array(communicator.hostName.utf8)
        let all = try communicator.allgather(mine)
        if let r = all.firstIndex(where: { $0.prefix(8) != all[0].prefix(8) }) {
            throw DistributedError.mismatch(item: "parameters", rank: r, host: String(decoding: all[r].dropFirst(8), as: UTF8.self),
                                            detail: "the replicas diverged by step \(state.step) (a rank computed different gradients)")
        }
    }
}
