// The public entry points of the shim (see include/CICU.h): open, close, and one call per
// line that runs the normalization stages (normalize.c) and the word breaking (segment.c).
#include "tokenizer_internal.h"
#include <unicode/uversion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t s2s_icu_version(char *out, int32_t capacity) {
    UVersionInfo v;
    u_getVersion(v);
    return snprintf(out, (size_t)capacity, "%d.%d", v[0], v[1]) < capacity ? 0 : -1;
}

/// Makes room for `count` elements of `unit` bytes; returns 0 on success.
int s2s_icu_reserve(buffer *buf, int64_t count, size_t unit) {
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

void s2s_icu_swap(buffer *x, buffer *y) {
    buffer t = *x;
    *x = *y;
    *y = t;
}

int32_t s2s_icu_fail(s2s_tokenizer *t, const char *what, UErrorCode status) {
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
    s2s_icu_cache_free(&t->cache);
    free(t);
}

const char *s2s_tokenizer_last_error(const s2s_tokenizer *t) { return t->error; }

void s2s_tokenizer_set_chunk_cache(s2s_tokenizer *t, int32_t enabled) {
    t->use_cache = enabled != 0;
    s2s_icu_cache_free(&t->cache);
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
    if (s2s_icu_reserve(&t->normalized, (int64_t)n + 1, 1)) return S2S_ICU_NO_MEMORY;
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
    if (segment) return s2s_icu_segment_a(t, n, out);
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
    if (s2s_icu_reserve(&t->a, (int64_t)length + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
    if (is_plain_ascii(utf8, length)) return run_ascii(t, utf8, length, segment, out);
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8WithSub(t->a.p, t->a.cap, &n, (const char *)utf8, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) return s2s_icu_fail(t, "UTF-8 decoding", status);

    int32_t rc, dropped = 0;
    if ((rc = s2s_icu_filter_a(t, &n, &dropped))) return rc;
    if (t->normalizer && (rc = s2s_icu_normalize_a(t, &n))) return rc;
    if (t->casefold) {
        if ((rc = s2s_icu_casefold_a(t, &n))) return rc;
        if (t->normalizer && (rc = s2s_icu_normalize_a(t, &n))) return rc;
    }
    // Normalization can make new spaces (NFKC: U+00A8 → " ̈") and doubled ones; a second
    // filter folds them. If it dropped a character, the text may have left its normal form.
    for (int round = 0; round < 3; round++) {
        dropped = 0;
        if ((rc = s2s_icu_filter_a(t, &n, &dropped))) return rc;
        if (dropped == 0 || !t->normalizer) break;
        if ((rc = s2s_icu_normalize_a(t, &n))) return rc;
    }

    if (s2s_icu_reserve(&t->normalized, (int64_t)n * 3 + 1, 1)) return S2S_ICU_NO_MEMORY;
    int32_t bytes = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8((char *)t->normalized.p, t->normalized.cap, &bytes, t->a.p, n, &status);
    if (U_FAILURE(status)) return s2s_icu_fail(t, "UTF-8 encoding", status);
    out->normalized = t->normalized.p;
    out->normalized_length = bytes;
    if (segment) return s2s_icu_segment_a(t, n, out);
    return S2S_ICU_OK;
}
