import Testing
@testable import S2SText

@Test func moduleLinks() {
    #expect(S2STextModule.name == "S2SText")
}
