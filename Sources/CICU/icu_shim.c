#include "CICU.h"
#include <unicode/uversion.h>
#include <stdio.h>

int32_t s2s_icu_version(char *out, int32_t capacity) {
    UVersionInfo v;
    u_getVersion(v);
    return snprintf(out, (size_t)capacity, "%d.%d", v[0], v[1]) < capacity ? 0 : -1;
}
