import Testing
@testable import S2SModel

@Test func moduleLinks() {
    #expect(S2SModelModule.name == "S2SModel")
}
