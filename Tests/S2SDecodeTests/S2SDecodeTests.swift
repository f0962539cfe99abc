import Testing
@testable import S2SDecode

@Test func moduleLinks() {
    #expect(S2SDecodeModule.name == "S2SDecode")
}
