import Testing
@testable import S2SEval

@Test func moduleLinks() {
    #expect(S2SEvalModule.name == "S2SEval")
}
