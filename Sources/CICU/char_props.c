// Per-code-point Unicode properties for the evaluation tokenizers (S2SEval): general-category
// classes for sacrebleu's `intl` tokenizer and the script of a character for choosing a BLEU
// tokenizer from the text. Kept apart from the line tokenizer: no state, no buffers.
#include "CICU.h"
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <string.h>

int32_t s2s_char_classes(uint32_t code_point) {
    if (code_point > 0x10FFFF) return 0;
    const uint32_t mask = U_GET_GC_MASK((UChar32)code_point);
    int32_t out = 0;
    if (mask & U_GC_P_MASK) out |= S2S_CLASS_PUNCTUATION;
    if (mask & U_GC_S_MASK) out |= S2S_CLASS_SYMBOL;
    if (mask & U_GC_N_MASK) out |= S2S_CLASS_NUMBER;
    return out;
}

int32_t s2s_char_script(uint32_t code_point) {
    if (code_point > 0x10FFFF) return USCRIPT_UNKNOWN;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript((UChar32)code_point, &status);
    return U_FAILURE(status) ? USCRIPT_UNKNOWN : (int32_t)script;
}

int32_t s2s_script_code(int32_t script, char *out, int32_t capacity) {
    const char *name = uscript_getShortName((UScriptCode)script);
    if (name == NULL || capacity <= 0 || (int32_t)strlen(name) >= capacity) return S2S_ICU_ERROR;
    memcpy(out, name, strlen(name) + 1);
    return S2S_ICU_OK;
}
