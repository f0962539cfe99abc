// PCG32 lives in S2SRandom so that modules needing only the generator (S2SCorpus) do not link
// oneDNN; everything above S2SNumerics keeps seeing it through this module.
@_exported import S2SRandom
