/// S2SLayers: see README.md for what this module holds.
public enum S2SLayersModule {
    public static let name = "S2SLayers"
}
