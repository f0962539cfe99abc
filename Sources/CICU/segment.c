// Word breaking with ICU's UBRK_WORD iterator, one space-separated chunk at a time with a
// cache, and the writing of marked, escaped tokens.
#include "tokenizer_internal.h"
#include <stdlib.h>
#include <string.h>

// MARK: - Word breaking, one space-separated chunk at a time, with a cache

// No word-break rule looks across a space in normalized text (spaces are single, and every
// rule that joins across one needs two spaces or a mark after the space, which breaks the
// same way at the chunk's start), so a line's tokens are its chunks' tokens. Chunks repeat
// (Zipf), so their boundaries are cached and ICU runs only on new chunks.

enum { CACHE_LONGEST_CHUNK = 64, CACHE_MAX_SLOTS = 1 << 20 };

void s2s_icu_cache_free(chunk_cache *c) {
    free(c->hashes);
    free(c->slots);
    free(c->keys.p);
    free(c->vals.p);
    memset(c, 0, sizeof *c);
}

static void cache_clear(chunk_cache *c) {
    if (c->slots) memset(c->slots, 0, (size_t)c->capacity * sizeof(int32_t));
    c->used = 0;
    c->keys_length = 0;
    c->vals_length = 0;
}

static inline uint64_t hash_units(const UChar *s, int32_t n) {
    // Four units per multiply; the chunks are short, so latency matters more than quality.
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    for (int32_t k = 0; i < n; i++, k += 16) tail |= (uint64_t)s[i] << k;
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/// Rehashes into twice the slots (or clears the cache when it has reached its limit).
static int cache_grow(chunk_cache *c) {
    int32_t capacity = c->capacity ? c->capacity * 2 : 4096;
    if (capacity > CACHE_MAX_SLOTS) {
        cache_clear(c);
        return 0;
    }
    uint64_t *hashes = calloc((size_t)capacity, sizeof *hashes);
    int32_t *slots = calloc((size_t)capacity, sizeof *slots);
    if (!hashes || !slots) {
        free(hashes);
        free(slots);
        return -1;
    }
    for (int32_t i = 0; i < c->capacity; i++) {
        if (!c->slots[i]) continue;
        int32_t j = (int32_t)(c->hashes[i] & (uint64_t)(capacity - 1));
        while (slots[j]) j = (j + 1) & (capacity - 1);
        slots[j] = c->slots[i];
        hashes[j] = c->hashes[i];
    }
    free(c->hashes);
    free(c->slots);
    c->hashes = hashes;
    c->slots = slots;
    c->capacity = capacity;
    return 0;
}

/// ICU's boundaries of `s[0..<n]` into `t->bounds` (ascending, the last is n).
static int32_t break_chunk(s2s_tokenizer *t, const UChar *s, int32_t n, int32_t *count) {
    if (s2s_icu_reserve(&t->bounds, (int64_t)n + 1, sizeof(int32_t))) return S2S_ICU_NO_MEMORY;
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(t->breaker, s, n, &status);
    if (U_FAILURE(status)) return s2s_icu_fail(t, "word break setText", status);
    int32_t *b = t->bounds.p;
    int32_t k = 0;
    ubrk_first(t->breaker);
    for (int32_t end = ubrk_next(t->breaker); end != UBRK_DONE; end = ubrk_next(t->breaker)) b[k++] = end;
    *count = k;
    return S2S_ICU_OK;
}

/// The boundaries of chunk `s[0..<n]`, from the cache or from ICU; `*bounds` stays valid
/// until the next call.
static int32_t chunk_bounds(s2s_tokenizer *t, const UChar *s, int32_t n, const int32_t **bounds, int32_t *count) {
    chunk_cache *c = &t->cache;
    if (n > CACHE_LONGEST_CHUNK) {
        int32_t rc = break_chunk(t, s, n, count);
        *bounds = t->bounds.p;
        return rc;
    }
    uint64_t h = hash_units(s, n);
    if (c->capacity) {
        int32_t j = (int32_t)(h & (uint64_t)(c->capacity - 1));
        const int32_t *vals = c->vals.p;
        const UChar *keys = c->keys.p;
        while (c->slots[j]) {
            if (c->hashes[j] == h) {
                const int32_t *e = vals + c->slots[j] - 1;
                if (e[1] == n && memcmp(keys + e[0], s, (size_t)n * sizeof(UChar)) == 0) {
                    *count = e[2];
                    *bounds = e + 3;
                    return S2S_ICU_OK;
                }
            }
            j = (j + 1) & (c->capacity - 1);
        }
    }
    int32_t k = 0;
    int32_t rc = break_chunk(t, s, n, &k);
    if (rc) return rc;
    *count = k;
    *bounds = t->bounds.p;
    if ((c->used + 1) * 2 > c->capacity && cache_grow(c)) return S2S_ICU_OK; // no memory: just don't cache
    if (s2s_icu_reserve(&c->keys, (int64_t)c->keys_length + n, sizeof(UChar))
        || s2s_icu_reserve(&c->vals, (int64_t)c->vals_length + 3 + k, sizeof(int32_t))) return S2S_ICU_OK;
    int32_t *e = (int32_t *)c->vals.p + c->vals_length;
    e[0] = c->keys_length;
    e[1] = n;
    e[2] = k;
    memcpy(e + 3, t->bounds.p, (size_t)k * sizeof(int32_t));
    memcpy((UChar *)c->keys.p + c->keys_length, s, (size_t)n * sizeof(UChar));
    int32_t j = (int32_t)(h & (uint64_t)(c->capacity - 1));
    while (c->slots[j]) j = (j + 1) & (c->capacity - 1);
    c->slots[j] = c->vals_length + 1;
    c->hashes[j] = h;
    c->vals_length += 3 + k;
    c->keys_length += n;
    c->used++;
    return S2S_ICU_OK;
}

/// Appends code point `c` as UTF-8, escaping the marker and the escape character.
static inline int32_t put_escaped(uint8_t *out, int32_t n, UChar32 c) {
    if (c < 0x80 && c != '\\') {
        out[n++] = (uint8_t)c;
        return n;
    }
    if (c == '\\') {
        out[n++] = '\\';
        out[n++] = '\\';
        return n;
    }
    if (c == 0x2581) out[n++] = '\\';
    U8_APPEND_UNSAFE(out, n, c);
    return n;
}

/// The reference path (chunk cache off): ICU breaks the whole line, segments are split at
/// spaces. Tests check that it gives the same tokens as the chunked path.
static int32_t segment_whole_line(s2s_tokenizer *t, int32_t length, s2s_tokenized *out) {
    UErrorCode status = U_ZERO_ERROR;
    const UChar *text = t->a.p;
    ubrk_setText(t->breaker, text, length, &status);
    if (U_FAILURE(status)) return s2s_icu_fail(t, "word break setText", status);
    uint8_t *marked = t->marked.p;
    int32_t *offsets = t->offsets.p;
    int32_t n = 0, count = 0;
    int open = 0, pending_space = 1;
    offsets[0] = 0;
    int32_t start = ubrk_first(t->breaker);
    for (int32_t end = ubrk_next(t->breaker); end != UBRK_DONE; start = end, end = ubrk_next(t->breaker)) {
        int32_t i = start;
        while (i < end) {
            UChar32 c;
            U16_NEXT(text, i, end, c);
            if (c == ' ') {
                if (open) { offsets[++count] = n; open = 0; }
                pending_space = 1;
                continue;
            }
            if (!open) {
                open = 1;
                if (pending_space) {
                    marked[n++] = 0xE2; marked[n++] = 0x96; marked[n++] = 0x81;
                    pending_space = 0;
                }
            }
            n = put_escaped(marked, n, c);
        }
        if (open) { offsets[++count] = n; open = 0; }
    }
    out->marked = marked;
    out->marked_length = n;
    out->offsets = offsets;
    out->token_count = count;
    return S2S_ICU_OK;
}

/// Word-breaks `t->a[0..<length]` (already normalized: single inner spaces) and writes the
/// marked tokens: each chunk's first token gets "▁" (the line start counts as a space).
int32_t s2s_icu_segment_a(s2s_tokenizer *t, int32_t length, s2s_tokenized *out) {
    // Worst case per UTF-16 unit: a marker (3 bytes) plus an escaped U+2581 (4 bytes).
    if (s2s_icu_reserve(&t->marked, (int64_t)length * 7 + 8, 1)) return S2S_ICU_NO_MEMORY;
    if (s2s_icu_reserve(&t->offsets, (int64_t)length + 2, sizeof(int32_t))) return S2S_ICU_NO_MEMORY;
    if (!t->use_cache) return segment_whole_line(t, length, out);
    const UChar *text = t->a.p;
    uint8_t *marked = t->marked.p;
    int32_t *offsets = t->offsets.p;
    int32_t n = 0, count = 0;
    offsets[0] = 0;
    int32_t i = 0;
    while (i < length) {
        int32_t j = i;
        while (j < length && text[j] != ' ') j++;
        if (j > i) {
            const int32_t *bounds;
            int32_t nb = 0;
            int32_t rc = chunk_bounds(t, text + i, j - i, &bounds, &nb);
            if (rc) return rc;
            marked[n++] = 0xE2; marked[n++] = 0x96; marked[n++] = 0x81; // ▁
            int32_t start = i;
            for (int32_t k = 0; k < nb; k++) {
                int32_t end = i + bounds[k];
                int32_t p = start;
                while (p < end) {
                    UChar32 c;
                    U16_NEXT(text, p, end, c);
                    n = put_escaped(marked, n, c);
                }
                offsets[++count] = n;
                start = end;
            }
        }
        i = j + 1;
    }
    out->marked = marked;
    out->marked_length = n;
    out->offsets = offsets;
    out->token_count = count;
    return S2S_ICU_OK;
}
