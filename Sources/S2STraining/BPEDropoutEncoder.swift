import S2SCorpus
import S2SLayers
import S2SText

/// BPE-dropout on the training split (Provilkov et al., 2019, `--bpe-dropout`): every epoch
/// segments each training pair anew, each applicable merge skipped with probability `dropout`.
///
/// The coins of a pair in an epoch come from `SentenceRandom`-style generators seeded by
/// (run seed, epoch, pair id) alone, like the per-pair seeds of the other dropouts
/// (`Trainer.sentenceSeed`): the ids of a pair do not depend on its batch, its rank or on where
/// a run was interrupted, so `--resume` and any number of MPI ranks reproduce the single
/// uninterrupted process. Validation keeps the cached full-merge ids.
final class BPEDropoutEncoder: EpochPairEncoder {
    let dropout: Double
    let seed: UInt64
    /// Its own copy of the pipelines: the trainer's are also used by validation.
    private let pipelines: TextPipelinePair

    init(pipelines: TextPipelinePair, dropout: Double, seed: UInt64) throws(TextError) {
        self.pipelines = try pipelines.copy()
        self.dropout = dropout
        self.seed = seed
    }

    func encode(source: String, target: String, pair: Int64, epoch: Int) throws -> (source: [Int32], target: [Int32]) {
        let random = SentenceRandom(seeds: [Self.pairSeed(run: seed, epoch: epoch, pair: pair)])
        var sourceCoins = random.generator(purpose: SentenceRandom.Purpose.sourceBPEDropout, row: 0, step: 0)
        var targetCoins = random.generator(purpose: SentenceRandom.Purpose.targetBPEDropout, row: 0, step: 0)
        return (try pipelines.source.encodeKnownPieces(source, dropout: dropout, using: &sourceCoins),
                try pipelines.target.encodeKnownPieces(target, dropout: dropout, using: &targetCoins))
    }

    /// The seed of a pair's segmentation in an epoch, folded as `Trainer.sentenceSeed` folds the
    /// update (run seed + 3: + 1 and + 2 seed batch order and the per-update draws).
    static func pairSeed(run seed: UInt64, epoch: Int, pair: Int64) -> UInt64 {
        Trainer.foldedSeed(seed &+ 3, round: epoch, pair: pair)
    }

    /// The start-up note on the vocabulary: how many merge symbols it lacks on each side (the
    /// words needing them keep their full merge), nil when it has them all.
    static func vocabularyNote(_ pipelines: TextPipelinePair, directory: String) -> String? {
        let source = pipelines.source.missingDropoutSymbols, target = pipelines.target.missingDropoutSymbols
        guard source.missing + target.missing > 0 else { return nil }
        return "--bpe-dropout: \(directory) lacks \(source.missing) of \(source.total) source and \(target.missing) of "
            + "\(target.total) target merge symbols; words whose dropout pieces are missing keep their full merge "
            + "(rebuild with `s2s vocab build --dropout-symbols` for dropout on every word)"
    }
}
