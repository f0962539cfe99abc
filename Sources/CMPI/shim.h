// Open MPI's C API for Swift. The predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …)
// are macros that cast the address of a library global, which Swift cannot import: each gets a
// static inline accessor here. The 16-bit reduction operators for compressed gradients live here
// too, since a system-library target has no C files of its own.
#ifndef S2S_CMPI_SHIM_H
#define S2S_CMPI_SHIM_H
#include <mpi.h>
#include <stdint.h>
#include <string.h>

static inline MPI_Comm s2s_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype s2s_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype s2s_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype s2s_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype s2s_mpi_uint16(void) { return MPI_UINT16_T; }
static inline MPI_Datatype s2s_mpi_uint64(void) { return MPI_UINT64_T; }
static inline MPI_Op s2s_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op s2s_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler s2s_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Request s2s_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *s2s_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline void *s2s_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int s2s_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int s2s_mpi_success(void) { return MPI_SUCCESS; }
static inline int s2s_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int s2s_mpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }

// bf16 ↔ fp32: bf16 is the upper half of an fp32; rounding to nearest even (NaN kept quiet).
static inline float s2s_bf16_to_float(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline uint16_t s2s_float_to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

// MPI_User_function for sums of bf16 vectors: each partial sum is formed in fp32 and rounded
// once to bf16, so a reduction over N ranks rounds N−1 times (not once per addition of bits).
static inline void s2s_bf16_sum(void *in, void *inout, int *len, MPI_Datatype *type) {
    (void)type;
    const uint16_t *a = (const uint16_t *)in;
    uint16_t *b = (uint16_t *)inout;
    for (int i = 0; i < *len; i++) b[i] = s2s_float_to_bf16(s2s_bf16_to_float(a[i]) + s2s_bf16_to_float(b[i]));
}

// The fp16 counterpart (IEEE binary16 through _Float16, which gcc and clang support on x86-64).
static inline void s2s_fp16_sum(void *in, void *inout, int *len, MPI_Datatype *type) {
    (void)type;
    const _Float16 *a = (const _Float16 *)in;
    _Float16 *b = (_Float16 *)inout;
    for (int i = 0; i < *len; i++) b[i] = (_Float16)((float)a[i] + (float)b[i]);
}
static inline void s2s_fp32_to_fp16(const float *x, uint16_t *y, long n) {
    for (long i = 0; i < n; i++) { _Float16 h = (_Float16)x[i]; memcpy(&y[i], &h, 2); }
}
static inline void s2s_fp16_to_fp32(const uint16_t *x, float *y, long n) {
    for (long i = 0; i < n; i++) { _Float16 h; memcpy(&h, &x[i], 2); y[i] = (float)h; }
}
static inline void s2s_fp32_to_bf16(const float *x, uint16_t *y, long n) {
    for (long i = 0; i < n; i++) y[i] = s2s_float_to_bf16(x[i]);
}
static inline void s2s_bf16_to_fp32(const uint16_t *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = s2s_bf16_to_float(x[i]);
}

// Creates the commutative user operators once per process.
static inline MPI_Op s2s_mpi_op_half_sum(int bf16) {
    MPI_Op op;
    MPI_Op_create(bf16 ? s2s_bf16_sum : s2s_fp16_sum, 1, &op);
    return op;
}
#endif
