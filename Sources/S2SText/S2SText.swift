// S2SText: the text pipeline, from a line of raw text to token ids and back.
//
//   line ──Tokenizer──▶ marked tokens ──BPE──▶ pieces ──Vocabulary──▶ ids      (TextPipeline.encode)
//   ids ──Vocabulary──▶ pieces ──Detokenizer──▶ line                            (TextPipeline.decode)
//
// - Tokenizer (ICU through CICU): normalize (whitespace folded, invisible controls dropped,
//   NFKC/NFC, optional full case folding), then UBRK_WORD segmentation for the language.
//   Tokens are marked SentencePiece-style: "▁" starts a token that follows a space (or the
//   line start), "\" escapes a literal "\" or "▁". So detokenize(tokenize(s)) == normalize(s)
//   exactly, and BPE pieces detokenize by plain concatenation.
// - BPE: BPELearner (subword-nmt 0.3.8's learn_bpe, merge for merge), BPE (its apply_bpe, with
//   a cache, a heap path for long words, BPE-dropout), BPECodes (its `#version: 0.2` file).
// - Vocabulary: specials <pad>=0 <unk>=1 <s>=2 </s>=3, then by frequency; `token<TAB>count`
//   files with a validating loader and a SHA-256 content hash.
// - VocabularyBuilder: sentence pairs in (from ParallelText, or any other source), codes and
//   vocabularies out (BuiltPipeline), written as a directory with `pipeline.json`.
// - TextPipeline / TextPipelinePair: a built directory loaded back, line ↔ ids.
//
// Strings that must compare by code point (tokens, symbols, vocabulary entries) are keyed by
// ExactString: Swift's String equality is canonical equivalence ("é" == "e\u{301}").
