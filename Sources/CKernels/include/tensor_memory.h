#ifndef S2S_TENSOR_MEMORY_H
#define S2S_TENSOR_MEMORY_H
#include <stddef.h>

/// Storage for tensors, 64-byte aligned; free with s2s_free. s2s_alloc leaves the contents
/// undefined (for buffers that are written whole before they are read, e.g. packed weights).
/// Blocks of S2S_HUGE_PAGE_MIN bytes or more are 2 MiB-aligned and advised as transparent huge
/// pages (madvise): the decoder streams its largest weights every step, and with 4 KiB pages
/// the CPU's prefetchers stop at every page boundary and the TLB misses once per 4 KiB.
/// Returns NULL when the memory is not there.
void *s2s_alloc(size_t bytes);
void *s2s_alloc_zeroed(size_t bytes);
void s2s_free(void *p);

/// Bytes malloc has handed out and not had back (mallinfo2: arena blocks plus mmapped ones).
/// Beside the resident size it tells the allocator's kept free memory from live data.
size_t s2s_heap_in_use(void);

#endif
