/// S2SDecode: see README.md for what this module holds.
public enum S2SDecodeModule {
    public static let name = "S2SDecode"
}
