// Open MPI's C API for Swift. The predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …)
// are macros that cast the address of a library global, which Swift cannot import: each gets a
// static inline accessor here.
#ifndef S2S_CMPI_SHIM_H
#define S2S_CMPI_SHIM_H
#include <mpi.h>

static inline MPI_Comm s2s_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype s2s_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype s2s_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype s2s_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype s2s_mpi_uint16(void) { return MPI_UINT16_T; }
static inline MPI_Datatype s2s_mpi_uint64(void) { return MPI_UINT64_T; }
static inline MPI_Op s2s_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Errhandler s2s_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Request s2s_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *s2s_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline void *s2s_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int s2s_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int s2s_mpi_success(void) { return MPI_SUCCESS; }
static inline int s2s_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int s2s_mpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }

#endif
