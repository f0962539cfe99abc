/// S2SCorpus: parallel corpora in one SQLite file.
///
/// - `CorpusStore` opens (creating or migrating) the database: WAL, foreign keys, busy timeout.
/// - `importPairs(from:options:)` reads aligned files or TSV (file or stdin) in one transaction.
/// - `split(corpus:valid:test:seed:)` draws grouped, deterministic valid/test sets.
/// - `pairs(corpus:split:)` / `forEachPair` stream a split; `export` writes aligned files.
/// - `stats(corpus:)` summarizes lengths, repetition and the import log.
/// - `Batcher` batches a split by length for training, caching token ids per `PairEncoder`,
///   with a `BatchPosition` to resume exactly.
public enum S2SCorpusModule {
    public static let name = "S2SCorpus"
}
