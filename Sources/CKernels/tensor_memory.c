#include "tensor_memory.h"
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define S2S_HUGE_PAGE_MIN ((size_t)4 << 20)

void *s2s_alloc(size_t bytes) {
    if (bytes == 0) bytes = 64;
    void *p = NULL;
    if (bytes >= S2S_HUGE_PAGE_MIN) {
        if (posix_memalign(&p, HUGE_PAGE, bytes) != 0) return NULL;
        // Advice only: without THP (or with it off) the block is ordinary memory.
        (void)madvise(p, bytes & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
    } else if (posix_memalign(&p, 64, bytes) != 0) {
        return NULL;
    }
    return p;
}

void *s2s_alloc_zeroed(size_t bytes) {
    void *p = s2s_alloc(bytes);
    if (p) memset(p, 0, bytes ? bytes : 64);
    return p;
}

void s2s_free(void *p) { free(p); }

size_t s2s_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}
