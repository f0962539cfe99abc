/// S2SCorpus: see README.md for what this module holds.
public enum S2SCorpusModule {
    public static let name = "S2SCorpus"
}
