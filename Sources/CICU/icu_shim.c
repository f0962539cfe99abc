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

struct s2s_tokenizer {
    const UNormalizer2 *normalizer; // NULL: no normalization form
    int32_t casefold;
    UBreakIterator *breaker;
    buffer a, b;                     // UChar work buffers, swapped between stages
    buffer normalized;               // uint8_t
    buffer marked;                   // uint8_t
    buffer offsets;                  // int32_t
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

/// Appends code point `c` as UTF-8, escaping the marker and the escape character.
static inline int32_t put_escaped(uint8_t *out, int32_t n, UChar32 c) {
    if (c == '\\') {
        out[n++] = '\\';
        out[n++] = '\\';
        return n;
    }
    if (c == 0x2581) out[n++] = '\\';
    U8_APPEND_UNSAFE(out, n, c);
    return n;
}

/// Word-breaks `t->a[0..<length]` (already normalized) and writes the marked tokens.
static int32_t segment_a(s2s_tokenizer *t, int32_t length, s2s_tokenized *out) {
    // Worst case per UTF-16 unit: a marker (3 bytes) plus an escaped U+2581 (4 bytes).
    if (reserve(&t->marked, (int64_t)length * 7 + 8, 1)) return S2S_ICU_NO_MEMORY;
    if (reserve(&t->offsets, (int64_t)length + 2, sizeof(int32_t))) return S2S_ICU_NO_MEMORY;
    UErrorCode status = U_ZERO_ERROR;
    const UChar *text = t->a.p;
    ubrk_setText(t->breaker, text, length, &status);
    if (U_FAILURE(status)) return fail(t, "word break setText", status);

    uint8_t *marked = t->marked.p;
    int32_t *offsets = t->offsets.p;
    int32_t n = 0, count = 0;
    int open = 0;
    int pending_space = 1; // the line start counts as a space: "The" is "▁The" everywhere
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
                    marked[n++] = 0xE2; marked[n++] = 0x96; marked[n++] = 0x81; // ▁
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

int32_t s2s_tokenizer_run(s2s_tokenizer *t, const uint8_t *utf8, int32_t length, int32_t segment,
                          s2s_tokenized *out) {
    t->error[0] = 0;
    memset(out, 0, sizeof *out);
    if (length < 0 || length > INT32_MAX / 8) {
        snprintf(t->error, sizeof t->error, "line of %d bytes is too long", length);
        return S2S_ICU_TOO_LONG;
    }
    if (reserve(&t->a, (int64_t)length + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
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
