// Private to CICU (not under include/): the tokenizer's state and the functions its three
// files share. ICU types are fine here; Swift never sees this header.
#ifndef S2S_TOKENIZER_INTERNAL_H
#define S2S_TOKENIZER_INTERNAL_H
#include "CICU.h"
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/ubrk.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <stddef.h>

/// A growable buffer of `unit`-sized elements.
typedef struct {
    void *p;
    int32_t cap;
} buffer;

/// Chunk → boundaries. Slot i holds 1 + index into `vals` (0: empty); `vals` holds per entry
/// [key offset, key length, boundary count, boundaries...] with keys in `keys`.
typedef struct {
    uint64_t *hashes;
    int32_t *slots;
    int32_t capacity, used;
    buffer keys;       // UChar
    int32_t keys_length;
    buffer vals;       // int32_t
    int32_t vals_length;
} chunk_cache;


struct s2s_tokenizer {
    const UNormalizer2 *normalizer; // NULL: no normalization form
    int32_t casefold;
    UBreakIterator *breaker;
    buffer a, b;                     // UChar work buffers, swapped between stages
    buffer normalized;               // uint8_t
    buffer marked;                   // uint8_t
    buffer offsets;                  // int32_t
    buffer bounds;                   // int32_t, one chunk's boundaries
    chunk_cache cache;
    int32_t use_cache;
    char error[256];
};

/// Makes room for `count` elements of `unit` bytes; returns 0 on success.
int s2s_icu_reserve(buffer *buf, int64_t count, size_t unit);
/// Exchanges two buffers (stages write into `b` and swap, so the result is always in `a`).
void s2s_icu_swap(buffer *x, buffer *y);
/// Records "ICU <what> failed: <status>" and returns S2S_ICU_ERROR.
int32_t s2s_icu_fail(s2s_tokenizer *t, const char *what, UErrorCode status);

// normalize.c: each stage reads t->a[0..<*length] and leaves its result in t->a.
int32_t s2s_icu_filter_a(s2s_tokenizer *t, int32_t *length, int32_t *dropped);
int32_t s2s_icu_normalize_a(s2s_tokenizer *t, int32_t *length);
int32_t s2s_icu_casefold_a(s2s_tokenizer *t, int32_t *length);

// segment.c
int32_t s2s_icu_segment_a(s2s_tokenizer *t, int32_t length, s2s_tokenized *out);
void s2s_icu_cache_free(chunk_cache *c);

#endif
