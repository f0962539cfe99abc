/// S2SEval: see README.md for what this module holds.
public enum S2SEvalModule {
    public static let name = "S2SEval"
}
