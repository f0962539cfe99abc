/* mpi_ping: the proof program of `scripts/mpi-hosts.sh check`.
 *
 * Each rank reports where it runs (processor name = the host's UTS hostname, its IPv4 addresses
 * other than loopback, the inode of its network namespace), rank 0 prints them in rank order, then:
 *   - ping-pong between ranks 0 and 1: latency of 1-byte messages, bandwidth of MB-sized ones;
 *   - MPI_Allreduce(SUM) of a buffer of doubles, checked element by element, with its time,
 *     algorithm bandwidth (buffer bytes / time) and bus bandwidth (x 2(n-1)/n, the bytes each
 *     rank must move in an optimal allreduce; comparable across rank counts).
 * Exits non-zero if the ranks do not each run in their own network namespace or a result is
 * wrong.
 *
 *   mpi_ping [MB (8)] [ITERS (10)]
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <mpi.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INFO_LEN 256

static void describe_self(char *out, size_t len) {
    char name[MPI_MAX_PROCESSOR_NAME] = "", addrs[128] = "", netns[64] = "?";
    int name_len = 0;
    MPI_Get_processor_name(name, &name_len);
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, "lo") == 0)
                continue;
            char a[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, a, sizeof a);
            size_t used = strlen(addrs);
            snprintf(addrs + used, sizeof addrs - used, "%s%s=%s", used ? "," : "", i->ifa_name, a);
        }
        freeifaddrs(ifs);
    }
    ssize_t n = readlink("/proc/self/ns/net", netns, sizeof netns - 1);
    if (n > 0) netns[n] = '\0';
    snprintf(out, len, "host=%s addr=%s netns=%s pid=%d", name, addrs[0] ? addrs : "none", netns,
             (int)getpid());
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size, failed = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double mb = argc > 1 ? atof(argv[1]) : 8.0;
    int iters = argc > 2 ? atoi(argv[2]) : 10;
    if (mb <= 0 || iters <= 0) {
        if (rank == 0) fprintf(stderr, "usage: mpi_ping [MB > 0] [ITERS > 0]\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }

    /* Where does every rank run? Gathered so the lines come out whole and in order. */
    char mine[INFO_LEN], *all = rank == 0 ? malloc((size_t)size * INFO_LEN) : NULL;
    describe_self(mine, sizeof mine);
    MPI_Gather(mine, INFO_LEN, MPI_CHAR, all, INFO_LEN, MPI_CHAR, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        for (int r = 0; r < size; r++) printf("rank %d: %s\n", r, all + (size_t)r * INFO_LEN);
        for (int r = 0; r < size; r++)
            for (int q = 0; q < r; q++) {
                const char *a = strstr(all + (size_t)r * INFO_LEN, "netns=");
                const char *b = strstr(all + (size_t)q * INFO_LEN, "netns=");
                if (a && b && strncmp(a, b, strcspn(a, " ")) == 0) {
                    printf("FAIL: ranks %d and %d share a network namespace\n", q, r);
                    failed = 1;
                }
            }
        free(all);
    }

    size_t count = (size_t)(mb * 1e6 / sizeof(double));
    size_t bytes = count * sizeof(double);
    double *buf = malloc(bytes), *out = malloc(bytes);
    if (!buf || !out) MPI_Abort(MPI_COMM_WORLD, 3);

    /* Ping-pong between ranks 0 and 1. */
    if (size >= 2 && rank < 2) {
        int peer = 1 - rank, lat_iters = 1000;
        char byte = 0;
        for (int pass = 0; pass < 2; pass++) { /* pass 0 warms up connections and caches */
            int n = pass ? lat_iters : 10;
            double t0 = MPI_Wtime();
            for (int i = 0; i < n; i++) {
                if (rank == 0) {
                    MPI_Send(&byte, 1, MPI_CHAR, peer, 0, MPI_COMM_WORLD);
                    MPI_Recv(&byte, 1, MPI_CHAR, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                } else {
                    MPI_Recv(&byte, 1, MPI_CHAR, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                    MPI_Send(&byte, 1, MPI_CHAR, peer, 0, MPI_COMM_WORLD);
                }
            }
            if (pass && rank == 0)
                printf("ping-pong 1 B: %.1f us round trip (%d iterations)\n",
                       (MPI_Wtime() - t0) / n * 1e6, n);
        }
        memset(buf, 0, bytes);
        for (int pass = 0; pass < 2; pass++) {
            int n = pass ? iters : 1;
            double t0 = MPI_Wtime();
            for (int i = 0; i < n; i++) {
                if (rank == 0) {
                    MPI_Send(buf, (int)count, MPI_DOUBLE, peer, 1, MPI_COMM_WORLD);
                    MPI_Recv(buf, (int)count, MPI_DOUBLE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                } else {
                    MPI_Recv(buf, (int)count, MPI_DOUBLE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                    MPI_Send(buf, (int)count, MPI_DOUBLE, peer, 1, MPI_COMM_WORLD);
                }
            }
            double t = MPI_Wtime() - t0;
            if (pass && rank == 0)
                printf("ping-pong %.1f MB: %.2f ms round trip, %.0f MB/s one way (%d iterations)\n",
                       bytes / 1e6, t / n * 1e3, 2.0 * bytes * n / t / 1e6, n);
        }
    }

    /* Allreduce: rank r contributes r + 1 + i * 1e-3 at element i, so the sum is known. */
    for (size_t i = 0; i < count; i++) buf[i] = rank + 1 + (double)(i % 1000) * 1e-3;
    MPI_Allreduce(buf, out, (int)count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD); /* warm-up */
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int i = 0; i < iters; i++)
        MPI_Allreduce(buf, out, (int)count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    double t = (MPI_Wtime() - t0) / iters, tmax;
    MPI_Reduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

    long bad = 0;
    double ranks_sum = size * (size + 1) / 2.0;
    for (size_t i = 0; i < count; i++) {
        double want = ranks_sum + size * (double)(i % 1000) * 1e-3;
        if (out[i] < want - 1e-9 * want || out[i] > want + 1e-9 * want) bad++;
    }
    long bad_total = 0;
    MPI_Reduce(&bad, &bad_total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        double algbw = bytes / tmax / 1e6;
        printf("allreduce %.1f MB x %d ranks: %.2f ms per call, algbw %.0f MB/s, busbw %.0f MB/s "
               "(%d iterations), result %s\n",
               bytes / 1e6, size, tmax * 1e3, algbw, algbw * 2.0 * (size - 1) / size, iters,
               bad_total ? "WRONG" : "verified");
        if (bad_total) {
            printf("FAIL: %ld wrong elements\n", bad_total);
            failed = 1;
        }
    }
    free(buf);
    free(out);
    MPI_Bcast(&failed, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return failed;
}
