#ifndef S2S_CICU_H
#define S2S_CICU_H
// A shim over ICU whose public header uses only stdint types and opaque pointers: Swift
// modules that also see Foundation cannot import <unicode/*.h> (Foundation carries its own
// ICU as _FoundationICU and the clang modules conflict).
//
// The shim does the per-line work of the text pipeline in one call (normalize, fold case,
// fold whitespace, drop invisible controls, word-break, mark and escape tokens) so the hot
// path crosses the Swift/C boundary once per line, not once per character.
#include <stdint.h>

/// ICU's version as "major.minor" written into `out` (at least 16 bytes). Returns 0 on success.
int32_t s2s_icu_version(char *out, int32_t capacity);

/// Unicode normalization form applied by a tokenizer.
enum {
    S2S_NORMALIZE_NONE = 0,
    S2S_NORMALIZE_NFC = 1,
    S2S_NORMALIZE_NFKC = 2,
};

/// Error codes returned by the shim (negative); positive values never occur.
enum {
    S2S_ICU_OK = 0,
    S2S_ICU_ERROR = -1,        // an ICU call failed; the message says which
    S2S_ICU_NO_MEMORY = -2,
    S2S_ICU_TOO_LONG = -3,     // a line longer than the shim's int32 offsets allow
};

/// One tokenizer: a normalizer, a word-break iterator for one locale, and reusable buffers.
/// Not thread-safe; open one per thread.
typedef struct s2s_tokenizer s2s_tokenizer;

/// The result of `s2s_tokenizer_run`. All pointers are owned by the tokenizer and stay valid
/// until the next call on the same tokenizer.
typedef struct {
    /// The normalized line in UTF-8: no leading, trailing or doubled spaces.
    const uint8_t *normalized;
    int32_t normalized_length;
    /// The marked tokens back to back in UTF-8. A token that follows a space (or starts the
    /// line) begins with U+2581 "▁"; inside a token a literal "\" is written "\\" and a
    /// literal U+2581 is written "\▁", so the marker is never ambiguous.
    const uint8_t *marked;
    int32_t marked_length;
    /// Token i is marked[offsets[i] ..< offsets[i + 1]]; `token_count + 1` entries.
    const int32_t *offsets;
    int32_t token_count;
} s2s_tokenized;

/// Opens a tokenizer for `locale` (a language code such as "en", "ja", "th"), a normalization
/// form (S2S_NORMALIZE_*), and `casefold` (non-zero: ICU full case folding). On failure
/// returns NULL and writes a message into `error` (capacity bytes, NUL-terminated).
s2s_tokenizer *s2s_tokenizer_open(const char *locale, int32_t form, int32_t casefold,
                                  char *error, int32_t error_capacity);

/// Closes a tokenizer opened by `s2s_tokenizer_open` (NULL is allowed).
void s2s_tokenizer_close(s2s_tokenizer *tokenizer);

/// Normalizes `length` bytes of valid UTF-8 and, when `segment` is non-zero, splits the result
/// into marked tokens. Returns S2S_ICU_OK or a negative S2S_ICU_* code (message via
/// `s2s_tokenizer_last_error`).
int32_t s2s_tokenizer_run(s2s_tokenizer *tokenizer, const uint8_t *utf8, int32_t length,
                          int32_t segment, s2s_tokenized *out);

/// Turns the chunk cache on (the default) or off, emptying it either way. A line's tokens are
/// the tokens of its space-separated chunks, so chunk boundaries are cached and ICU's
/// iterator runs only on chunks not seen before; off, ICU breaks each whole line (the
/// reference the tests compare the chunked path with).
void s2s_tokenizer_set_chunk_cache(s2s_tokenizer *tokenizer, int32_t enabled);

/// The message of the last failure on this tokenizer (NUL-terminated; empty if none).
const char *s2s_tokenizer_last_error(const s2s_tokenizer *tokenizer);

/// Unicode general-category classes of one code point, as a bit set (S2S_CLASS_*): what the
/// `regex` module's \p{P}, \p{S} and \p{N} test in sacrebleu's `intl` BLEU tokenizer.
enum {
    S2S_CLASS_PUNCTUATION = 1,  // P*: Pc Pd Ps Pe Pi Pf Po
    S2S_CLASS_SYMBOL = 2,       // S*: Sm Sc Sk So
    S2S_CLASS_NUMBER = 4,       // N*: Nd Nl No
};
int32_t s2s_char_classes(uint32_t code_point);

/// The ICU script code (UScriptCode) of one code point; 0 (Common), 1 (Inherited) and 103
/// (Unknown) are the scripts no language owns. Invalid code points give 103.
int32_t s2s_char_script(uint32_t code_point);

/// The script's ISO 15924 code ("Hani", "Thai", …) written into `out` (NUL-terminated).
/// Returns 0 on success, S2S_ICU_ERROR for an unknown code or a too small buffer.
int32_t s2s_script_code(int32_t script, char *out, int32_t capacity);

#endif
