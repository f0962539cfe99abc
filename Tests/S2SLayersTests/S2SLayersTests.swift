import Testing
@testable import S2SLayers

@Test func moduleLinks() {
    #expect(S2SLayersModule.name == "S2SLayers")
}
