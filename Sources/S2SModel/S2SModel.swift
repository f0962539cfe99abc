/// S2SModel: see README.md for what this module holds.
public enum S2SModelModule {
    public static let name = "S2SModel"
}
