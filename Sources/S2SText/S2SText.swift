/// S2SText: see README.md for what this module holds.
public enum S2STextModule {
    public static let name = "S2SText"
}
