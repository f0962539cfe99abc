#include "threads.h"
#include "parallel.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

// oneDNN is built on the GNU OpenMP runtime; these come from libgomp.
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
extern int omp_in_parallel(void);
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);

static atomic_int g_threads;   // 0 until set or defaulted
static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;

static void apply_default(void) {
    int n = 0;
    const char *env = getenv("OMP_NUM_THREADS");
    if (env) n = atoi(env);
    if (n < 1) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores >= 2 ? 2 : 1;
    }
    int expected = 0;
    atomic_compare_exchange_strong(&g_threads, &expected, n);   // an explicit set wins
}

static int process_threads(void) {
    int n = atomic_load_explicit(&g_threads, memory_order_relaxed);
    if (n == 0) {
        pthread_once(&g_default_once, apply_default);
        n = atomic_load(&g_threads);
    }
    return n;
}

void s2s_set_num_threads(int32_t n) {
    if (n < 1) n = 1;
    atomic_store(&g_threads, n);
    omp_set_num_threads(n);
}

int32_t s2s_get_max_threads(void) { return process_threads(); }

void s2s_sync_threads(void) {
    int n = process_threads();
    if (omp_get_max_threads() != n) omp_set_num_threads(n);
}

// libgomp is not instrumented, so ThreadSanitizer cannot see that GOMP_parallel hands `job` to
// its workers and joins them before returning: the fork and the join are declared to it as a
// release/acquire pair on the job, or every kernel would report a race on its own arguments.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define HAPPENS_BEFORE(p) __tsan_release(p)
#define HAPPENS_AFTER(p) __tsan_acquire(p)
#endif
#endif
#ifndef HAPPENS_BEFORE
#define HAPPENS_BEFORE(p) ((void)(p))
#define HAPPENS_AFTER(p) ((void)(p))
#endif

typedef struct {
    s2s_range_fn fn;
    void *ctx;
    int64_t n;
    int parts;
} job_t;

static void run_part(void *data) {
    job_t *job = data;
    HAPPENS_AFTER(job);
    int t = omp_get_thread_num();
    int parts = omp_get_num_threads();
    // The runtime may hand out fewer threads than asked; the ranges are an even split over the
    // threads actually running, so all of [0, n) is still covered.
    if (parts > job->parts) parts = job->parts;
    if (t < parts) {
        int64_t begin = job->n * t / parts, end = job->n * (t + 1) / parts;
        if (begin < end) job->fn(job->ctx, begin, end, t);
    }
    HAPPENS_BEFORE(job);
}

int s2s_parallel_for(int64_t n, int64_t min_per_thread, s2s_range_fn fn, void *ctx) {
    int threads = omp_in_parallel() ? 1 : process_threads();
    if (threads > S2S_MAX_THREADS) threads = S2S_MAX_THREADS;
    int64_t useful = min_per_thread > 0 ? n / min_per_thread : n;
    if (useful < threads) threads = (int)(useful < 1 ? 1 : useful);
    if (threads <= 1) {
        if (n > 0) fn(ctx, 0, n, 0);
        return 1;
    }
    job_t job = {fn, ctx, n, threads};
    HAPPENS_BEFORE(&job);
    GOMP_parallel(run_part, &job, (unsigned)threads, 0);
    HAPPENS_AFTER(&job);
    return threads;
}
