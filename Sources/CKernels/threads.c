#include "threads.h"
#include "parallel.h"

// oneDNN is built on the GNU OpenMP runtime; these come from libgomp.
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
extern int omp_in_parallel(void);
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);

void s2s_set_num_threads(int32_t n) { omp_set_num_threads(n); }
int32_t s2s_get_max_threads(void) { return omp_get_max_threads(); }

typedef struct {
    s2s_range_fn fn;
    void *ctx;
    int64_t n;
    int parts;
} job_t;

static void run_part(void *data) {
    job_t *job = data;
    int t = omp_get_thread_num();
    int parts = omp_get_num_threads();
    // The runtime may hand out fewer threads than asked; every range is still covered because
    // each thread takes a contiguous block of an even split over the threads actually running.
    if (parts > job->parts) parts = job->parts;
    if (t >= parts) return;
    int64_t begin = job->n * t / parts, end = job->n * (t + 1) / parts;
    if (begin < end) job->fn(job->ctx, begin, end, t);
}

int s2s_parallel_for(int64_t n, int64_t min_per_thread, s2s_range_fn fn, void *ctx) {
    int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
    if (threads > S2S_MAX_THREADS) threads = S2S_MAX_THREADS;
    int64_t useful = min_per_thread > 0 ? n / min_per_thread : n;
    if (useful < threads) threads = (int)(useful < 1 ? 1 : useful);
    if (threads <= 1) {
        if (n > 0) fn(ctx, 0, n, 0);
        return 1;
    }
    job_t job = {fn, ctx, n, threads};
    GOMP_parallel(run_part, &job, (unsigned)threads, 0);
    return threads;
}
