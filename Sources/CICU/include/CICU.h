#ifndef S2S_CICU_H
#define S2S_CICU_H
// A shim over ICU whose public header uses only stdint types and opaque pointers: Swift
// modules that also see Foundation cannot import <unicode/*.h> (Foundation carries its own
// ICU as _FoundationICU and the clang modules conflict).
#include <stdint.h>

/// ICU's version as "major.minor" written into `out` (at least 16 bytes). Returns 0 on success.
int32_t s2s_icu_version(char *out, int32_t capacity);

#endif
