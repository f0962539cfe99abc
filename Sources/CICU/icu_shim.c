// The ICU side of the text pipeline: one call per line normalizes, folds case and whitespace,
// drops invisible controls, word-breaks and writes marked tokens. See CICU.h for the contract.
#include "CICU.h"
#include <unicode/uversion.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/ubrk.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t s2s_icu_version(char *out, int32_t capacity) {
    UVersionInfo v;
    u_getVersion(v);
    return snprintf(out, (size_t)capacity, "%d.%d", v[0], v[1]) < capacity ? 0 : -1;
}

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

static void cache_free(chunk_cache *c);

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
static int reserve(buffer *buf, int64_t count, size_t unit) {
    if (count <= buf->cap) return 0;
    if (count > INT32_MAX) return -1;
    int64_t cap = buf->cap ? buf->cap : 256;
    while (cap < count) cap *= 2;
    if (cap > INT32_MAX) cap = INT32_MAX;
    void *p = realloc(buf->p, (size_t)cap * unit);
    if (!p) return -1;
    buf->p = p;
    buf->cap = (int32_t)cap;
    return 0;
}

static void swap(buffer *x, buffer *y) {
    buffer t = *x;
    *x = *y;
    *y = t;
}

static int32_t fail(s2s_tokenizer *t, const char *what, UErrorCode status) {
    snprintf(t->error, sizeof t->error, "ICU %s failed: %s", what, u_errorName(status));
    return S2S_ICU_ERROR;
}

s2s_tokenizer *s2s_tokenizer_open(const char *locale, int32_t form, int32_t casefold,
                                  char *error, int32_t error_capacity) {
    s2s_tokenizer *t = calloc(1, sizeof *t);
    if (!t) {
        if (error_capacity > 0) snprintf(error, (size_t)error_capacity, "out of memory");
        return NULL;
    }
    UErrorCode status = U_ZERO_ERROR;
    if (form == S2S_NORMALIZE_NFC) t->normalizer = unorm2_getNFCInstance(&status);
    else if (form == S2S_NORMALIZE_NFKC) t->normalizer = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) {
        if (error_capacity > 0)
            snprintf(error, (size_t)error_capacity, "ICU normalizer: %s", u_errorName(status));
        free(t);
        return NULL;
    }
    t->casefold = casefold != 0;
    t->use_cache = 1;
    t->breaker = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
    if (U_FAILURE(status)) {
        if (error_capacity > 0)
            snprintf(error, (size_t)error_capacity, "ICU word break iterator for '%s': %s", locale,
                     u_errorName(status));
        free(t);
        return NULL;
    }
    return t;
}

void s2s_tokenizer_close(s2s_tokenizer *t) {
    if (!t) return;
    ubrk_close(t->breaker);
    free(t->a.p);
    free(t->b.p);
    free(t->normalized.p);
    free(t->marked.p);
    free(t->offsets.p);
    free(t->bounds.p);
    cache_free(&t->cache);
    free(t);
}

const char *s2s_tokenizer_last_error(const s2s_tokenizer *t) { return t->error; }

// MARK: - Character classes

/// Whitespace of every kind (tabs, line and paragraph separators, no-break and narrow spaces,
/// the ideographic space, …) becomes one plain space.
static inline int is_space(UChar32 c) {
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
    return u_isUWhiteSpace(c) || u_charType(c) == U_SPACE_SEPARATOR;
}

/// Controls and invisible format characters (zero-width space, joiners, soft hyphen, byte-order
/// mark, bidi controls, …) carry no text of their own and are dropped. Visible format
/// characters (Arabic number signs) and variation selectors stay.
static inline int is_removable(UChar32 c) {
    if (c < 0x80) return c < 0x20 || c == 0x7F;
    int8_t type = u_charType(c);
    if (type == U_CONTROL_CHAR) return 1;
    return type == U_FORMAT_CHAR && u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

static inline int is_pictographic(UChar32 c) {
    return c >= 0x80 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC);
}

/// What may stand before a zero-width joiner that glues an emoji sequence together: a
/// pictograph, a skin-tone modifier, or the emoji presentation selector.
static inline int ends_emoji(UChar32 c) {
    return c == 0xFE0F || is_pictographic(c) || u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER);
}

static inline int is_tag(UChar32 c) { return c >= 0xE0020 && c <= 0xE007F; }

/// Folds whitespace to single spaces (no leading or trailing one) and drops removable
/// characters, keeping the joiners and tags that belong to emoji sequences.
/// `src[0..<length]` → `dst`; returns the output length and adds the number of dropped
/// non-space characters to `*dropped`.
static int32_t filter(const UChar *src, int32_t length, UChar *dst, int32_t *dropped) {
    int32_t n = 0;
    UChar32 last = ' '; // the last code point written; a space at the start drops leading spaces
    int32_t i = 0;
    while (i < length) {
        UChar c16 = src[i];
        if (c16 >= 0x20 && c16 < 0x7F) { // printable ASCII, the common case
            if (c16 == ' ' && last == ' ') { i++; continue; }
            dst[n++] = c16;
            last = c16;
            i++;
            continue;
        }
        UChar32 c;
        U16_NEXT(src, i, length, c);
        if (is_space(c)) {
            if (last != ' ') { dst[n++] = ' '; last = ' '; }
            continue;
        }
        if (is_removable(c)) {
            int keep = 0;
            if (c == 0x200D && ends_emoji(last) && i < length) {
                UChar32 next;
                int32_t j = i;
                U16_NEXT(src, j, length, next);
                keep = is_pictographic(next);
            } else if (is_tag(c)) {
                keep = is_pictographic(last) || is_tag(last);
            }
            if (!keep) { (*dropped)++; continue; }
        }
        U16_APPEND_UNSAFE(dst, n, c);
        last = c;
    }
    if (n > 0 && dst[n - 1] == ' ') n--;
    return n;
}

// MARK: - Stages

/// `t->a` → normalized into `t->b`, then swapped so the result is in `t->a`.
static int32_t normalize_a(s2s_tokenizer *t, int32_t *length) {
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = unorm2_normalize(t->normalizer, t->a.p, *length, t->b.p, t->b.cap, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            if (reserve(&t->b, (int64_t)n + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
            continue;
        }
        if (U_FAILURE(status)) return fail(t, "normalization", status);
        swap(&t->a, &t->b);
        *length = n;
        return S2S_ICU_OK;
    }
}

/// `t->a` → case-folded (full folding: ß → ss) into `t->b`, then swapped.
static int32_t casefold_a(s2s_tokenizer *t, int32_t *length) {
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = u_strFoldCase(t->b.p, t->b.cap, t->a.p, *length, U_FOLD_CASE_DEFAULT, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            if (reserve(&t->b, (int64_t)n + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
            continue;
        }
        if (U_FAILURE(status)) return fail(t, "case folding", status);
        swap(&t->a, &t->b);
        *length = n;
        return S2S_ICU_OK;
    }
}

/// `t->a` → filtered into `t->b`, then swapped.
static int32_t filter_a(s2s_tokenizer *t, int32_t *length, int32_t *dropped) {
    if (reserve(&t->b, (int64_t)*length + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
    *length = filter(t->a.p, *length, t->b.p, dropped);
    swap(&t->a, &t->b);
    return S2S_ICU_OK;
}


// MARK: - Word breaking, one space-separated chunk at a time, with a cache

// No word-break rule looks across a space in normalized text (spaces are single, and every
// rule that joins across one needs two spaces or a mark after the space, which breaks the
// same way at the chunk's start), so a line's tokens are its chunks' tokens. Chunks repeat
// (Zipf), so their boundaries are cached and ICU runs only on new chunks.

enum { CACHE_LONGEST_CHUNK = 64, CACHE_MAX_SLOTS = 1 << 20 };

static void cache_free(chunk_cache *c) {
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
    if (reserve(&t->bounds, (int64_t)n + 1, sizeof(int32_t))) return S2S_ICU_NO_MEMORY;
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(t->breaker, s, n, &status);
    if (U_FAILURE(status)) return fail(t, "word break setText", status);
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
    if (reserve(&c->keys, (int64_t)c->keys_length + n, sizeof(UChar))
        || reserve(&c->vals, (int64_t)c->vals_length + 3 + k, sizeof(int32_t))) return S2S_ICU_OK;
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
    if (U_FAILURE(status)) return fail(t, "word break setText", status);
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
static int32_t segment_a(s2s_tokenizer *t, int32_t length, s2s_tokenized *out) {
    // Worst case per UTF-16 unit: a marker (3 bytes) plus an escaped U+2581 (4 bytes).
    if (reserve(&t->marked, (int64_t)length * 7 + 8, 1)) return S2S_ICU_NO_MEMORY;
    if (reserve(&t->offsets, (int64_t)length + 2, sizeof(int32_t))) return S2S_ICU_NO_MEMORY;
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

void s2s_tokenizer_set_chunk_cache(s2s_tokenizer *t, int32_t enabled) {
    t->use_cache = enabled != 0;
    cache_free(&t->cache);
}

/// Printable ASCII with single inner spaces only: every normalization form leaves it as it
/// is and case folding is plain lowercasing, so the ICU conversions can be skipped.
static int is_plain_ascii(const uint8_t *s, int32_t n) {
    if (n == 0) return 1;
    if (s[0] == ' ' || s[n - 1] == ' ') return 0;
    uint8_t prev = 0;
    for (int32_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c < 0x20 || c > 0x7E || (c == ' ' && prev == ' ')) return 0;
        prev = c;
    }
    return 1;
}

static int32_t run_ascii(s2s_tokenizer *t, const uint8_t *utf8, int32_t n, int32_t segment, s2s_tokenized *out) {
    if (reserve(&t->normalized, (int64_t)n + 1, 1)) return S2S_ICU_NO_MEMORY;
    UChar *a = t->a.p;
    uint8_t *normalized = t->normalized.p;
    for (int32_t i = 0; i < n; i++) {
        uint8_t c = utf8[i];
        if (t->casefold && c >= 'A' && c <= 'Z') c += 'a' - 'A';
        a[i] = c;
        normalized[i] = c;
    }
    out->normalized = normalized;
    out->normalized_length = n;
    if (segment) return segment_a(t, n, out);
    return S2S_ICU_OK;
}

int32_t s2s_tokenizer_run(s2s_tokenizer *t, const uint8_t *utf8, int32_t length, int32_t segment,
                          s2s_tokenized *out) {
    t->error[0] = 0;
    memset(out, 0, sizeof *out);
    if (length < 0 || length > INT32_MAX / 8) {
        snprintf(t->error, sizeof t->error, "line of %d bytes is too long", length);
        return S2S_ICU_TOO_LONG;
    }
    if (reserve(&t->a, (int64_t)length + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
    if (is_plain_ascii(utf8, length)) return run_ascii(t, utf8, length, segment, out);
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8WithSub(t->a.p, t->a.cap, &n, (const char *)utf8, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) return fail(t, "UTF-8 decoding", status);

    int32_t rc, dropped = 0;
    if ((rc = filter_a(t, &n, &dropped))) return rc;
    if (t->normalizer && (rc = normalize_a(t, &n))) return rc;
    if (t->casefold) {
        if ((rc = casefold_a(t, &n))) return rc;
        if (t->normalizer && (rc = normalize_a(t, &n))) return rc;
    }
    // Normalization can make new spaces (NFKC: U+00A8 → " ̈") and doubled ones; a second
    // filter folds them. If it dropped a character, the text may have left its normal form.
    for (int round = 0; round < 3; round++) {
        dropped = 0;
        if ((rc = filter_a(t, &n, &dropped))) return rc;
        if (dropped == 0 || !t->normalizer) break;
        if ((rc = normalize_a(t, &n))) return rc;
    }

    if (reserve(&t->normalized, (int64_t)n * 3 + 1, 1)) return S2S_ICU_NO_MEMORY;
    int32_t bytes = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8((char *)t->normalized.p, t->normalized.cap, &bytes, t->a.p, n, &status);
    if (U_FAILURE(status)) return fail(t, "UTF-8 encoding", status);
    out->normalized = t->normalized.p;
    out->normalized_length = bytes;
    if (segment) return segment_a(t, n, out);
    return S2S_ICU_OK;
}
