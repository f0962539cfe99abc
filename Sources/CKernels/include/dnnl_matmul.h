#ifndef S2S_DNNL_MATMUL_H
#define S2S_DNNL_MATMUL_H
#include <stddef.h>
#include <stdint.h>

/// A cached oneDNN matmul primitive: C[M,N] = alpha · op(A)[M,K] · op(B)[K,N] + beta · C,
/// row-major, C always fp32. A and B are fp32 or bf16 (uint16_t bit patterns). The helper
/// exists because DNNL_MEMORY_ALLOCATE/NONE are macros Swift cannot import, and because
/// argument arrays and memory handles are cheaper to manage here than through Swift.
/// Executions on one primitive are serialized by a mutex (memory handles are per primitive).
typedef struct s2s_mm s2s_mm;

/// Element types of A and B.
enum { S2S_MM_F32 = 0, S2S_MM_BF16 = 1 };

/// Creates the primitive. lda/ldb/ldc are the row strides of A, B, C as stored (A stored
/// [K,M] when transA). packed_b != 0: B uses the engine's preferred layout (format_tag_any)
/// and must be packed with s2s_mm_pack_b; ldb is then ignored at execution.
/// Returns NULL and a oneDNN status in *status on failure.
s2s_mm *s2s_mm_create(int dtype, int64_t m, int64_t n, int64_t k, int trans_a, int trans_b,
                      int64_t lda, int64_t ldb, int64_t ldc, float alpha, float beta,
                      int packed_b, int32_t *status);
/// A batched product: `batch` independent products, operand i of batch b starting
/// batch_stride_X elements after that of batch b − 1 (any strides, e.g. one sentence of a
/// time-major [T, B, D] buffer). B is never packed.
s2s_mm *s2s_mm_create_batched(int dtype, int64_t batch, int64_t m, int64_t n, int64_t k,
                              int trans_a, int trans_b, int64_t lda, int64_t ldb, int64_t ldc,
                              int64_t batch_stride_a, int64_t batch_stride_b, int64_t batch_stride_c,
                              float alpha, float beta, int32_t *status);
void s2s_mm_destroy(s2s_mm *mm);

/// Name of the implementation oneDNN chose (e.g. "brg:avx512_core_bf16").
const char *s2s_mm_impl_name(const s2s_mm *mm);

/// Bytes of B in the packed layout (0 when the primitive is not packed).
size_t s2s_mm_packed_b_size(const s2s_mm *mm);
/// Whether two packed primitives want B in the same layout (their packed copies are shareable).
int s2s_mm_same_packed_b(const s2s_mm *x, const s2s_mm *y);
/// Reorders fp32 B (stored [K,N] with ldb, or [N,K] when trans_b) into `packed`
/// (s2s_mm_packed_b_size bytes, 64-byte aligned), converting to the primitive's type.
int32_t s2s_mm_pack_b(s2s_mm *mm, const float *b, int64_t ldb, void *packed);

/// Runs the product. a, b point at the primitive's element type (b at the packed copy if
/// packed); c is fp32 with ldc.
int32_t s2s_mm_execute(s2s_mm *mm, const void *a, const void *b, float *c);

/// oneDNN's `dnnl_sgemm` (row-major, fp32) on the process-wide thread count: the kernel
/// `LargeGemmKernel` picks for large products where it measures faster than the primitive.
int32_t s2s_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                  const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

/// For benchmarks: binds the operands once (s2s_mm_bind), then s2s_mm_execute_bound is a bare
/// dnnl_primitive_execute + stream wait, the engine called directly.
int32_t s2s_mm_bind(s2s_mm *mm, const void *a, const void *b, float *c);
int32_t s2s_mm_execute_bound(s2s_mm *mm);

/// fp32 → bf16 (round to nearest even; NaN stays NaN) of a rows × cols block with row
/// strides ld_src (floats) and ld_dst (uint16 elements).
void s2s_f32_to_bf16(const float *src, int64_t ld_src, uint16_t *dst, int64_t ld_dst,
                     int64_t rows, int64_t cols);

/// A per-thread scratch buffer of at least `elems` uint16 elements, 64-byte aligned, reused
/// across calls (slot 0 or 1: A and B of one product). NULL if allocation fails.
uint16_t *s2s_bf16_scratch(int slot, size_t elems);

/// A 64-bit checksum of n floats' bit patterns (debug check that a packed weight is current).
uint64_t s2s_checksum_f32(const float *x, int64_t n);

#endif
