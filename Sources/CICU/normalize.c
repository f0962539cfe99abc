// Normalization stages: fold whitespace and drop invisible controls, apply NFC/NFKC, fold
// case. Each works on the tokenizer's UTF-16 buffers (see tokenizer_internal.h).
#include "tokenizer_internal.h"

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
int32_t s2s_icu_normalize_a(s2s_tokenizer *t, int32_t *length) {
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = unorm2_normalize(t->normalizer, t->a.p, *length, t->b.p, t->b.cap, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            if (s2s_icu_reserve(&t->b, (int64_t)n + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
            continue;
        }
        if (U_FAILURE(status)) return s2s_icu_fail(t, "normalization", status);
        s2s_icu_swap(&t->a, &t->b);
        *length = n;
        return S2S_ICU_OK;
    }
}

/// `t->a` → case-folded (full folding: ß → ss) into `t->b`, then swapped.
int32_t s2s_icu_casefold_a(s2s_tokenizer *t, int32_t *length) {
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = u_strFoldCase(t->b.p, t->b.cap, t->a.p, *length, U_FOLD_CASE_DEFAULT, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            if (s2s_icu_reserve(&t->b, (int64_t)n + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
            continue;
        }
        if (U_FAILURE(status)) return s2s_icu_fail(t, "case folding", status);
        s2s_icu_swap(&t->a, &t->b);
        *length = n;
        return S2S_ICU_OK;
    }
}

/// `t->a` → filtered into `t->b`, then swapped.
int32_t s2s_icu_filter_a(s2s_tokenizer *t, int32_t *length, int32_t *dropped) {
    if (s2s_icu_reserve(&t->b, (int64_t)*length + 1, sizeof(UChar))) return S2S_ICU_NO_MEMORY;
    *length = filter(t->a.p, *length, t->b.p, dropped);
    s2s_icu_swap(&t->a, &t->b);
    return S2S_ICU_OK;
}
