import Testing
@testable import S2SCorpus

@Test func moduleLinks() {
    #expect(S2SCorpusModule.name == "S2SCorpus")
}
