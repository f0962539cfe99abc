// oneDNN matmul primitives behind a small C API (see dnnl_matmul.h).
#include "dnnl_matmul.h"
#include "threads.h"
#include "parallel.h"
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct s2s_mm {
    dnnl_primitive_t prim;
    dnnl_memory_t a_mem, b_mem, c_mem, scratch_mem;
    void *scratch;
    dnnl_memory_desc_t b_user;   // fp32 B as stored by the caller (for packing)
    dnnl_memory_desc_t b_packed; // B as the primitive wants it
    int packed;
    pthread_mutex_t lock;
};

static dnnl_engine_t g_engine;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static dnnl_status_t g_init_status = dnnl_success;
// Streams are not thread-safe; each calling thread gets its own (they are cheap, and live as
// long as the thread).
static _Thread_local dnnl_stream_t t_stream;

static void init_engine(void) { g_init_status = dnnl_engine_create(&g_engine, dnnl_cpu, 0); }

static dnnl_status_t thread_stream(dnnl_stream_t *out) {
    if (!t_stream) {
        dnnl_status_t st = dnnl_stream_create(&t_stream, g_engine, dnnl_stream_default_flags);
        if (st != dnnl_success) { t_stream = NULL; return st; }
    }
    *out = t_stream;
    return dnnl_success;
}

// A rows x cols matrix stored row-major with leading dimension ld, or its transpose view;
// with batch > 0, `batch` such matrices `bstride` elements apart.
static dnnl_status_t plain_md(dnnl_memory_desc_t *md, int64_t batch, int64_t bstride, int64_t rows, int64_t cols,
                              int trans, int64_t ld, dnnl_data_type_t dt) {
    dnnl_dims_t dims, strides;
    int b = batch > 0 ? 1 : 0;
    if (b) { dims[0] = batch; strides[0] = bstride; }
    dims[b] = rows;
    dims[b + 1] = cols;
    if (trans) { strides[b] = 1; strides[b + 1] = ld; }   // stored [cols, rows]
    else { strides[b] = ld; strides[b + 1] = 1; }
    return dnnl_memory_desc_init_by_strides(md, 2 + b, dims, dt, strides);
}

#define CHECK(x) do { st = (x); if (st != dnnl_success) goto fail; } while (0)

static s2s_mm *create(int dtype, int64_t batch, int64_t m, int64_t n, int64_t k, int trans_a, int trans_b,
                      int64_t lda, int64_t ldb, int64_t ldc, int64_t bsa, int64_t bsb, int64_t bsc,
                      float alpha, float beta, int packed_b, int32_t *status) {
    pthread_once(&g_once, init_engine);
    s2s_sync_threads();   // oneDNN fixes its work split at creation from the calling thread's count
    dnnl_status_t st = g_init_status;
    s2s_mm *mm = NULL;
    dnnl_primitive_attr_t attr = NULL;
    dnnl_post_ops_t ops = NULL;
    dnnl_primitive_desc_t pd = NULL;
    if (st != dnnl_success) goto fail;
    mm = calloc(1, sizeof *mm);
    if (!mm) { st = dnnl_out_of_memory; goto fail; }
    pthread_mutex_init(&mm->lock, NULL);
    dnnl_data_type_t dt = dtype == S2S_MM_BF16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t a_md, b_md, c_md;
    CHECK(plain_md(&a_md, batch, bsa, m, k, trans_a, lda, dt));
    if (packed_b) {
        dnnl_dims_t dims = {k, n};
        CHECK(dnnl_memory_desc_init_by_tag(&b_md, 2, dims, dt, dnnl_format_tag_any));
        CHECK(plain_md(&mm->b_user, 0, 0, k, n, trans_b, ldb, dnnl_f32));
    } else {
        CHECK(plain_md(&b_md, batch, bsb, k, n, trans_b, ldb, dt));
    }
    CHECK(plain_md(&c_md, batch, bsc, m, n, 0, ldc, dnnl_f32));
    dnnl_matmul_desc_t desc;
    CHECK(dnnl_matmul_desc_init(&desc, &a_md, &b_md, NULL, &c_md));
    CHECK(dnnl_primitive_attr_create(&attr));
    // Each primitive owns its scratchpad: the library's shared one is not safe when two
    // threads run primitives at once, and executions of one primitive are serialized anyway.
    CHECK(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user));
    if (alpha != 1.0f) CHECK(dnnl_primitive_attr_set_output_scales(attr, 1, 0, &alpha));
    if (beta != 0.0f) {
        CHECK(dnnl_post_ops_create(&ops));
        CHECK(dnnl_post_ops_append_sum(ops, beta));
        CHECK(dnnl_primitive_attr_set_post_ops(attr, ops));
    }
    CHECK(dnnl_primitive_desc_create(&pd, &desc, attr, g_engine, NULL));
    const dnnl_memory_desc_t *wq = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    mm->b_packed = *wq;
    mm->packed = packed_b;
    CHECK(dnnl_primitive_create(&mm->prim, pd));
    CHECK(dnnl_memory_create(&mm->a_mem, &a_md, g_engine, DNNL_MEMORY_NONE));
    CHECK(dnnl_memory_create(&mm->b_mem, &mm->b_packed, g_engine, DNNL_MEMORY_NONE));
    CHECK(dnnl_memory_create(&mm->c_mem, &c_md, g_engine, DNNL_MEMORY_NONE));
    const dnnl_memory_desc_t *sq = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t scratch_size = sq ? dnnl_memory_desc_get_size(sq) : 0;
    if (scratch_size > 0) {
        mm->scratch = aligned_alloc(64, (scratch_size + 63) & ~(size_t)63);
        if (!mm->scratch) { st = dnnl_out_of_memory; goto fail; }
        CHECK(dnnl_memory_create(&mm->scratch_mem, sq, g_engine, mm->scratch));
    }
    dnnl_primitive_desc_destroy(pd);
    dnnl_primitive_attr_destroy(attr);
    if (ops) dnnl_post_ops_destroy(ops);
    *status = dnnl_success;
    return mm;
fail:
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (attr) dnnl_primitive_attr_destroy(attr);
    if (ops) dnnl_post_ops_destroy(ops);
    if (mm) s2s_mm_destroy(mm);
    *status = (int32_t)st;
    return NULL;
}

s2s_mm *s2s_mm_create(int dtype, int64_t m, int64_t n, int64_t k, int trans_a, int trans_b,
                      int64_t lda, int64_t ldb, int64_t ldc, float alpha, float beta,
                      int packed_b, int32_t *status) {
    return create(dtype, 0, m, n, k, trans_a, trans_b, lda, ldb, ldc, 0, 0, 0, alpha, beta, packed_b, status);
}

s2s_mm *s2s_mm_create_batched(int dtype, int64_t batch, int64_t m, int64_t n, int64_t k,
                              int trans_a, int trans_b, int64_t lda, int64_t ldb, int64_t ldc,
                              int64_t batch_stride_a, int64_t batch_stride_b, int64_t batch_stride_c,
                              float alpha, float beta, int32_t *status) {
    if (batch < 1) { *status = dnnl_invalid_arguments; return NULL; }
    return create(dtype, batch, m, n, k, trans_a, trans_b, lda, ldb, ldc,
                  batch_stride_a, batch_stride_b, batch_stride_c, alpha, beta, 0, status);
}

void s2s_mm_destroy(s2s_mm *mm) {
    if (!mm) return;
    if (mm->prim) dnnl_primitive_destroy(mm->prim);
    if (mm->a_mem) dnnl_memory_destroy(mm->a_mem);
    if (mm->b_mem) dnnl_memory_destroy(mm->b_mem);
    if (mm->c_mem) dnnl_memory_destroy(mm->c_mem);
    if (mm->scratch_mem) dnnl_memory_destroy(mm->scratch_mem);
    free(mm->scratch);
    pthread_mutex_destroy(&mm->lock);
    free(mm);
}

const char *s2s_mm_impl_name(const s2s_mm *mm) {
    const_dnnl_primitive_desc_t pd = NULL;
    if (dnnl_primitive_get_primitive_desc(mm->prim, &pd) != dnnl_success) return "?";
    const char *name = NULL;
    if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) != dnnl_success || !name) return "?";
    return name;
}

size_t s2s_mm_packed_b_size(const s2s_mm *mm) {
    return mm->packed ? dnnl_memory_desc_get_size(&mm->b_packed) : 0;
}

int s2s_mm_same_packed_b(const s2s_mm *x, const s2s_mm *y) {
    return x->packed && y->packed && dnnl_memory_desc_equal(&x->b_packed, &y->b_packed);
}

int32_t s2s_mm_pack_b(s2s_mm *mm, const float *b, int64_t ldb, void *packed) {
    dnnl_status_t st;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t reorder = NULL;
    dnnl_memory_t src = NULL, dst = NULL;
    dnnl_memory_desc_t user = mm->b_user;
    // The caller's ldb may differ from the one the primitive was created with only when
    // packing (execution never reads the user layout), so rebuild the strides here.
    if (user.format_desc.blocking.strides[0] == 1) user.format_desc.blocking.strides[1] = ldb;
    else user.format_desc.blocking.strides[0] = ldb;
    s2s_sync_threads();
    CHECK(thread_stream(&stream));
    CHECK(dnnl_reorder_primitive_desc_create(&pd, &user, g_engine, &mm->b_packed, g_engine, NULL));
    CHECK(dnnl_primitive_create(&reorder, pd));
    CHECK(dnnl_memory_create(&src, &user, g_engine, (void *)b));
    CHECK(dnnl_memory_create(&dst, &mm->b_packed, g_engine, packed));
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}};
    CHECK(dnnl_primitive_execute(reorder, stream, 2, args));
    CHECK(dnnl_stream_wait(stream));
fail:
    if (src) dnnl_memory_destroy(src);
    if (dst) dnnl_memory_destroy(dst);
    if (reorder) dnnl_primitive_destroy(reorder);
    if (pd) dnnl_primitive_desc_destroy(pd);
    return (int32_t)st;
}

int32_t s2s_mm_execute(s2s_mm *mm, const void *a, const void *b, float *c) {
    dnnl_status_t st;
    dnnl_stream_t stream;
    s2s_sync_threads();
    pthread_mutex_lock(&mm->lock);
    CHECK(thread_stream(&stream));
    CHECK(dnnl_memory_set_data_handle(mm->a_mem, (void *)a));
    CHECK(dnnl_memory_set_data_handle(mm->b_mem, (void *)b));
    CHECK(dnnl_memory_set_data_handle(mm->c_mem, c));
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, mm->a_mem}, {DNNL_ARG_WEIGHTS, mm->b_mem},
                               {DNNL_ARG_DST, mm->c_mem}, {DNNL_ARG_SCRATCHPAD, mm->scratch_mem}};
    CHECK(dnnl_primitive_execute(mm->prim, stream, mm->scratch_mem ? 4 : 3, args));
    CHECK(dnnl_stream_wait(stream));
fail:
    pthread_mutex_unlock(&mm->lock);
    return (int32_t)st;
}

int32_t s2s_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                  const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    s2s_sync_threads();
    return (int32_t)dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

int32_t s2s_mm_bind(s2s_mm *mm, const void *a, const void *b, float *c) {
    dnnl_status_t st;
    CHECK(dnnl_memory_set_data_handle(mm->a_mem, (void *)a));
    CHECK(dnnl_memory_set_data_handle(mm->b_mem, (void *)b));
    CHECK(dnnl_memory_set_data_handle(mm->c_mem, c));
fail:
    return (int32_t)st;
}

int32_t s2s_mm_execute_bound(s2s_mm *mm) {
    dnnl_status_t st;
    dnnl_stream_t stream;
    CHECK(thread_stream(&stream));
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, mm->a_mem}, {DNNL_ARG_WEIGHTS, mm->b_mem},
                               {DNNL_ARG_DST, mm->c_mem}, {DNNL_ARG_SCRATCHPAD, mm->scratch_mem}};
    CHECK(dnnl_primitive_execute(mm->prim, stream, mm->scratch_mem ? 4 : 3, args));
    CHECK(dnnl_stream_wait(stream));
fail:
    return (int32_t)st;
}
