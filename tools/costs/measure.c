/*
 * measure.c - measure primitive OS / memory costs on the local machine, to be
 * used as documented default parameters of the protsim simulator.
 *
 * Build:  gcc -O2 -Wall -o /tmp/measure measure.c -lpthread -lm
 * Run:    /tmp/measure         (takes roughly 20-40 s; needs ~600 MiB of RAM)
 *
 * Every figure is the MEDIAN over many repetitions ("samples"). Short
 * operations are batched (one sample = a batch of many operations, divided by
 * the batch size) so that timer overhead is negligible. Short batched
 * operations are timed with rdtsc (serialised with lfence) and converted to
 * nanoseconds with the TSC frequency measured against CLOCK_MONOTONIC at
 * start-up; longer and multi-process operations are timed with
 * clock_gettime(CLOCK_MONOTONIC). Every row is printed both in nanoseconds
 * and in estimated cycles = ns * TSC_GHz (i.e. TSC reference cycles; the real
 * core clock may differ if the CPU turbos or the host throttles it -- the
 * "effective core clock" lines printed at start and end show what the core
 * actually delivered, and the steal-time line shows hypervisor preemption).
 *
 * Linux / x86-64 only.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define PAGE 4096UL
#define MIB (1024UL * 1024UL)

/* ------------------------------------------------------------------------ */
/* Clocks                                                                    */
/* ------------------------------------------------------------------------ */

static double tsc_ghz; /* TSC ticks per nanosecond, measured at start-up */

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* rdtsc fenced so that it neither starts early nor finishes late. */
static inline uint64_t tsc(void)
{
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
}

static inline double tsc_to_ns(uint64_t ticks) { return (double)ticks / tsc_ghz; }

/* Compiler barrier: forces memory written by memset/memcpy to be "used". */
#define CLOBBER() __asm__ __volatile__("" ::: "memory")

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* ------------------------------------------------------------------------ */
/* Statistics                                                                */
/* ------------------------------------------------------------------------ */

struct stats {
    double median, p10, p90;
    int n;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place and returns median and 10th/90th percentiles. */
static struct stats summarise(double *v, int n)
{
    struct stats s;
    qsort(v, n, sizeof *v, cmp_double);
    s.median = (n % 2) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    s.p10 = v[(int)(0.1 * (n - 1))];
    s.p90 = v[(int)(0.9 * (n - 1) + 0.5)];
    s.n = n;
    return s;
}

static void print_header(void)
{
    printf("%-4s %-52s %11s %11s %11s %11s %5s\n", "id", "metric", "median_ns",
           "est_cycles", "p10_ns", "p90_ns", "samp");
}

static void print_row(const char *id, const char *metric, struct stats s)
{
    printf("%-4s %-52s %11.1f %11.0f %11.1f %11.1f %5d\n", id, metric, s.median,
           s.median * tsc_ghz, s.p10, s.p90, s.n);
    fflush(stdout);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/* Private anonymous mapping of `bytes`, with transparent huge pages disabled
 * so that every page really is a 4 KiB page with its own PTE and fault. */
static char *map_anon(size_t bytes)
{
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    if (madvise(p, bytes, MADV_NOHUGEPAGE) != 0)
        die("madvise");
    return p;
}

/* Write one byte in every page (populates the page if it is not present). */
static void touch_pages(char *p, size_t npages)
{
    for (size_t i = 0; i < npages; i++)
        ((volatile char *)p)[i * PAGE] = (char)i;
}

/* Read one byte in every page (maps the shared zero page if not present). */
static void read_pages(const char *p, size_t npages)
{
    for (size_t i = 0; i < npages; i++)
        (void)((const volatile char *)p)[i * PAGE];
}

static void pin_to_cpu(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
}

static void unpin(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < CPU_SETSIZE; i++)
        CPU_SET(i, &set);
    sched_setaffinity(0, sizeof set, &set); /* best effort */
}

/* Aggregate CPU time from /proc/stat (in ticks): total and "steal", i.e.
 * time the hypervisor ran something else while our vCPUs wanted to run. */
static void cpu_ticks(unsigned long long *total, unsigned long long *steal)
{
    unsigned long long f[8] = {0};
    FILE *fp = fopen("/proc/stat", "r");
    *total = *steal = 0;
    if (!fp)
        return;
    if (fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1],
               &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) == 8) {
        for (int i = 0; i < 8; i++)
            *total += f[i];
        *steal = f[7];
    }
    fclose(fp);
}

/* Run `ns` nanoseconds worth of busy loop, to bring the CPU out of idle. */
static void spin_ns(uint64_t ns)
{
    uint64_t end = now_ns() + ns;
    while (now_ns() < end)
        ;
}

/* ------------------------------------------------------------------------ */
/* 0. TSC frequency                                                          */
/* ------------------------------------------------------------------------ */

/* Count TSC ticks over ~100 ms of CLOCK_MONOTONIC, 7 times; take median. */
static void calibrate_tsc(void)
{
    enum { REPS = 7 };
    double ghz[REPS];
    for (int r = 0; r < REPS; r++) {
        uint64_t n0 = now_ns(), t0 = tsc();
        while (now_ns() - n0 < 100000000ULL)
            ;
        uint64_t n1 = now_ns(), t1 = tsc();
        ghz[r] = (double)(t1 - t0) / (double)(n1 - n0);
    }
    struct stats s = summarise(ghz, REPS);
    tsc_ghz = s.median;
    printf("# TSC frequency: %.4f GHz (min %.4f, max %.4f over %d x 100 ms)\n",
           tsc_ghz, ghz[0], ghz[REPS - 1], REPS);
}

/* Effective core clock: a chain of dependent register adds runs at exactly
 * one add per core cycle, so adds per ns = core GHz actually delivered to
 * us. On a VM this reveals host-side throttling or sharing of the core. */
static double probe_core_ghz(void)
{
    const long iters = 100000000L;
    uint64_t x = 0, t0 = now_ns();
    for (long i = 0; i < iters; i++)
        __asm__ __volatile__("add $1, %0" : "+r"(x));
    return (double)iters / (double)(now_ns() - t0);
}

/* ------------------------------------------------------------------------ */
/* 1. Null system call                                                       */
/* ------------------------------------------------------------------------ */

static void bench_syscall(void)
{
    enum { SAMPLES = 201, BATCH = 2000 };
    double v[SAMPLES];
    for (int i = 0; i < BATCH; i++) /* warm-up */
        syscall(SYS_getppid);
    for (int s = 0; s < SAMPLES; s++) {
        uint64_t t0 = tsc();
        for (int i = 0; i < BATCH; i++)
            syscall(SYS_getppid);
        v[s] = tsc_to_ns(tsc() - t0) / BATCH;
    }
    print_row("1", "null syscall round trip (getppid)", summarise(v, SAMPLES));
}

/* ------------------------------------------------------------------------ */
/* 2. Minor page fault on first touch of an anonymous page                  */
/* ------------------------------------------------------------------------ */

static void bench_first_touch(void)
{
    enum { SAMPLES = 21 };
    const size_t npages = 32768; /* 128 MiB region per sample */
    double fault[SAMPLES], loop[SAMPLES], net[SAMPLES], zero[SAMPLES];

    for (int s = 0; s < SAMPLES; s++) {
        char *p = map_anon(npages * PAGE);
        uint64_t t0 = now_ns();
        touch_pages(p, npages); /* every write faults in a zeroed page */
        uint64_t t1 = now_ns();
        touch_pages(p, npages); /* same loop, pages already present */
        uint64_t t2 = now_ns();
        fault[s] = (double)(t1 - t0) / npages;
        loop[s] = (double)(t2 - t1) / npages;
        net[s] = fault[s] - loop[s];

        /* Read fault on a fresh range: maps the shared zero page, so no page
         * is allocated or zeroed -- isolates the trap + PTE install cost. */
        madvise(p, npages * PAGE, MADV_DONTNEED);
        uint64_t t3 = now_ns();
        read_pages(p, npages);
        zero[s] = (double)(now_ns() - t3) / npages - loop[s];
        munmap(p, npages * PAGE);
    }
    print_row("2", "first-touch anon page fault (net of touch loop)",
              summarise(net, SAMPLES));
    print_row("2a", "  gross: touch loop incl. fault, per page",
              summarise(fault, SAMPLES));
    print_row("2b", "  touch loop on present pages, per page",
              summarise(loop, SAMPLES));
    print_row("2c", "  read fault -> shared zero page (net of loop)",
              summarise(zero, SAMPLES));
}

/* ------------------------------------------------------------------------ */
/* 3. Zeroing and copying a 4 KiB page, cache-hot and cache-cold            */
/* ------------------------------------------------------------------------ */

/* Random permutation of 0..n-1 (xorshift PRNG; fixed seed, reproducible). */
static uint32_t *random_perm(uint32_t n)
{
    uint32_t *perm = malloc(n * sizeof *perm);
    uint64_t x = 88172645463325252ULL;
    for (uint32_t i = 0; i < n; i++)
        perm[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        uint32_t j = (uint32_t)(x % (i + 1));
        uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    return perm;
}

static void bench_zero_copy(void)
{
    enum { HOT_SAMPLES = 201, HOT_BATCH = 1000, COLD_SAMPLES = 21 };
    const size_t cold_bytes = 256 * MIB, cold_pages = cold_bytes / PAGE;
    double v[HOT_SAMPLES];

    /* Hot: the same page (or page pair) over and over, stays in L1/L2. */
    char *a = map_anon(2 * PAGE), *b = a + PAGE;
    touch_pages(a, 2);
    for (int s = 0; s < HOT_SAMPLES; s++) {
        uint64_t t0 = tsc();
        for (int i = 0; i < HOT_BATCH; i++) {
            memset(a, 0, PAGE);
            CLOBBER();
        }
        v[s] = tsc_to_ns(tsc() - t0) / HOT_BATCH;
    }
    print_row("3a", "zero 4 KiB page, memset, cache-hot", summarise(v, HOT_SAMPLES));
    for (int s = 0; s < HOT_SAMPLES; s++) {
        uint64_t t0 = tsc();
        for (int i = 0; i < HOT_BATCH; i++) {
            memcpy(b, a, PAGE);
            CLOBBER();
        }
        v[s] = tsc_to_ns(tsc() - t0) / HOT_BATCH;
    }
    print_row("3b", "copy 4 KiB page, memcpy, cache-hot", summarise(v, HOT_SAMPLES));
    munmap(a, 2 * PAGE);

    /* Cold: walk 256 MiB buffers (larger than the LLC) page by page in a
     * random order, so neither caches nor the prefetcher hold the page.
     * memcpy uses two separate 256 MiB buffers (source and destination). */
    char *src = map_anon(cold_bytes), *dst = map_anon(cold_bytes);
    touch_pages(src, cold_pages);
    touch_pages(dst, cold_pages);
    uint32_t *perm = random_perm((uint32_t)cold_pages);

    for (int s = 0; s < COLD_SAMPLES; s++) {
        uint64_t t0 = now_ns();
        for (size_t i = 0; i < cold_pages; i++) {
            memset(dst + (size_t)perm[i] * PAGE, 0, PAGE);
            CLOBBER();
        }
        v[s] = (double)(now_ns() - t0) / cold_pages;
    }
    print_row("3c", "zero 4 KiB page, memset, cache-cold (256 MiB)",
              summarise(v, COLD_SAMPLES));
    for (int s = 0; s < COLD_SAMPLES; s++) {
        uint64_t t0 = now_ns();
        for (size_t i = 0; i < cold_pages; i++) {
            /* different random pages for source and destination */
            size_t from = perm[i], to = perm[cold_pages - 1 - i];
            memcpy(dst + to * PAGE, src + from * PAGE, PAGE);
            CLOBBER();
        }
        v[s] = (double)(now_ns() - t0) / cold_pages;
    }
    print_row("3d", "copy 4 KiB page, memcpy, cache-cold (2x256 MiB)",
              summarise(v, COLD_SAMPLES));

    free(perm);
    munmap(src, cold_bytes);
    munmap(dst, cold_bytes);
}

/* ------------------------------------------------------------------------ */
/* 4. fork + exit + waitpid as a function of resident pages                 */
/* ------------------------------------------------------------------------ */

/* Time one fork; child exits immediately; parent reaps it. */
static double fork_exit_wait_ns(void)
{
    uint64_t t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        _exit(0);
    if (waitpid(pid, NULL, 0) != pid)
        die("waitpid");
    return (double)(now_ns() - t0);
}

static void bench_fork(void)
{
    /* sizes[0] = 0 (no extra region) is a baseline, not part of the fit. */
    enum { NSIZES = 5, ROUNDS = 21, PER_ROUND = 5, SAMPLES = ROUNDS * PER_ROUND };
    const size_t sizes[NSIZES] = {0, 512, 2048, 8192, 32768};
    static double v[NSIZES][SAMPLES];
    double med[NSIZES];

    /* The sizes are interleaved (a few forks of each size per round) so that
     * slow phases of the host hit all sizes alike instead of biasing one. */
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < NSIZES; k++) {
            size_t n = sizes[k];
            char *p = n ? map_anon(n * PAGE) : NULL;
            touch_pages(p, n);
            fork_exit_wait_ns(); /* warm-up */
            for (int i = 0; i < PER_ROUND; i++) {
                /* Re-dirty the pages: fork write-protects them, and every
                 * sample should start from the same state. */
                touch_pages(p, n);
                v[k][r * PER_ROUND + i] = fork_exit_wait_ns();
            }
            if (p)
                munmap(p, n * PAGE);
        }
    }
    for (int k = 0; k < NSIZES; k++) {
        struct stats st = summarise(v[k], SAMPLES);
        char label[64];
        if (sizes[k] == 0)
            snprintf(label, sizeof label, "fork+exit+waitpid, baseline (no extra pages)");
        else
            snprintf(label, sizeof label, "fork+exit+waitpid, %zu resident pages", sizes[k]);
        print_row(k == 0 ? "4z" : k == 1 ? "4" : "", label, st);
        med[k] = st.median;
    }

    /* Least-squares fit  t = intercept + slope * N  over the medians of the
     * four non-zero sizes (k = 1..4). */
    const int m = NSIZES - 1;
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (int k = 1; k < NSIZES; k++) {
        double x = (double)sizes[k], y = med[k];
        sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y;
    }
    double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    double icept = (sy - slope * sx) / m;
    double r = (m * sxy - sx * sy) /
               sqrt((m * sxx - sx * sx) * (m * syy - sy * sy));
    struct stats fs = {slope, slope, slope, m};
    print_row("4s", "  fit slope: per resident page (ns/page)", fs);
    fs.median = fs.p10 = fs.p90 = icept;
    print_row("4i", "  fit intercept (ns)", fs);
    printf("#    (fit over the 4 medians, r^2 = %.5f; p10/p90 not applicable)\n", r * r);

    /* Piecewise slopes between neighbouring sizes: shows whether the cost per
     * page is constant (it need not be: caches, page-table page allocation). */
    for (int k = 1; k + 1 < NSIZES; k++) {
        double d = (med[k + 1] - med[k]) / (double)(sizes[k + 1] - sizes[k]);
        struct stats ds = {d, d, d, 2};
        char label[64];
        snprintf(label, sizeof label, "  slope %zu -> %zu pages (ns/page)", sizes[k],
                 sizes[k + 1]);
        print_row("4d", label, ds);
    }
}

/* ------------------------------------------------------------------------ */
/* 5. Copy-on-write fault                                                    */
/* ------------------------------------------------------------------------ */

static void bench_cow(void)
{
    enum { SAMPLES = 31 };
    const size_t npages = 16384; /* 64 MiB */
    double gross[SAMPLES], loop[SAMPLES], net[SAMPLES];
    char *p = map_anon(npages * PAGE);

    for (int s = 0; s < SAMPLES; s++) {
        touch_pages(p, npages); /* resident and privately owned by parent */
        int fds[2];
        if (pipe(fds) != 0)
            die("pipe");
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            /* Child: first write to each shared page -> COW fault + copy.
             * Second pass: same loop on now-private pages (loop overhead). */
            double r[2];
            uint64_t t0 = now_ns();
            touch_pages(p, npages);
            uint64_t t1 = now_ns();
            touch_pages(p, npages);
            uint64_t t2 = now_ns();
            r[0] = (double)(t1 - t0) / npages;
            r[1] = (double)(t2 - t1) / npages;
            if (write(fds[1], r, sizeof r) != sizeof r)
                _exit(1);
            _exit(0);
        }
        double r[2];
        if (read(fds[0], r, sizeof r) != sizeof r)
            die("read from COW child");
        waitpid(pid, NULL, 0);
        close(fds[0]);
        close(fds[1]);
        gross[s] = r[0];
        loop[s] = r[1];
        net[s] = r[0] - r[1];
    }
    munmap(p, npages * PAGE);
    print_row("5", "COW fault in child, per page (net of touch loop)",
              summarise(net, SAMPLES));
    print_row("5a", "  gross: touch loop incl. COW fault, per page",
              summarise(gross, SAMPLES));
    print_row("5b", "  touch loop on private present pages, per page",
              summarise(loop, SAMPLES));
    printf("#    (COW region: %zu pages = %zu MiB)\n", npages, npages * PAGE / MIB);
}

/* ------------------------------------------------------------------------ */
/* 6. munmap + mmap cycle of one touched page                               */
/* ------------------------------------------------------------------------ */

enum { MAP_SAMPLES = 201, MAP_BATCH = 500 };

/* One sample of MAP_BATCH cycles; if touch, the page is faulted in first. */
static double map_cycle_sample(int touch)
{
    uint64_t t0 = tsc();
    for (int i = 0; i < MAP_BATCH; i++) {
        char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap");
        if (touch)
            *(volatile char *)p = 1;
        munmap(p, PAGE);
    }
    return tsc_to_ns(tsc() - t0) / MAP_BATCH;
}

static volatile int spinner_stop;

/* Second thread of the same process, spinning on the other CPU: the mm is
 * then live on two CPUs, so munmap must send a TLB-shootdown IPI. */
static void *spinner(void *arg)
{
    pin_to_cpu(1);
    *(volatile int *)arg = 1;
    while (!spinner_stop)
        ;
    return NULL;
}

static void bench_map_cycle(void)
{
    double v[MAP_SAMPLES];

    pin_to_cpu(0);
    map_cycle_sample(1); /* warm-up */
    for (int s = 0; s < MAP_SAMPLES; s++)
        v[s] = map_cycle_sample(1);
    print_row("6", "mmap+touch+munmap 1 page (local TLB flush)",
              summarise(v, MAP_SAMPLES));
    for (int s = 0; s < MAP_SAMPLES; s++)
        v[s] = map_cycle_sample(0);
    print_row("6a", "  mmap+munmap 1 page, never touched", summarise(v, MAP_SAMPLES));

    /* Same cycle with a sibling thread running on CPU 1 (remote shootdown). */
    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
        pthread_t th;
        volatile int ready = 0;
        spinner_stop = 0;
        pthread_create(&th, NULL, spinner, (void *)&ready);
        while (!ready)
            ;
        map_cycle_sample(1);
        for (int s = 0; s < MAP_SAMPLES; s++)
            v[s] = map_cycle_sample(1);
        spinner_stop = 1;
        pthread_join(th, NULL);
        print_row("6b", "  mmap+touch+munmap, thread on other CPU (IPI)",
                  summarise(v, MAP_SAMPLES));
    }
    unpin();
}

/* ------------------------------------------------------------------------ */
/* 7. Context switch: pipe ping-pong between two processes on one CPU       */
/* ------------------------------------------------------------------------ */

static void bench_ctxsw(void)
{
    enum { SAMPLES = 51, ROUNDS = 2000 };
    double v[SAMPLES];
    int p2c[2], c2p[2];
    char c = 0;

    pin_to_cpu(0); /* inherited by the child: both share CPU 0 */
    if (pipe(p2c) != 0 || pipe(c2p) != 0)
        die("pipe");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        /* Child: echo every byte back until the parent closes the pipe
         * (close our copy of the write end first, or EOF never arrives). */
        close(p2c[1]);
        close(c2p[0]);
        while (read(p2c[0], &c, 1) == 1)
            if (write(c2p[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(p2c[0]);
    close(c2p[1]);

    for (int s = -1; s < SAMPLES; s++) { /* s = -1 is a warm-up sample */
        uint64_t t0 = now_ns();
        for (int i = 0; i < ROUNDS; i++) {
            if (write(p2c[1], &c, 1) != 1 || read(c2p[0], &c, 1) != 1)
                die("ping-pong");
        }
        /* one round trip = two context switches */
        if (s >= 0)
            v[s] = (double)(now_ns() - t0) / ROUNDS / 2.0;
    }
    close(p2c[1]);
    waitpid(pid, NULL, 0);
    close(c2p[0]);
    unpin();
    print_row("7", "context switch, pipe ping-pong same CPU (RTT/2)",
              summarise(v, SAMPLES));
}

/* ------------------------------------------------------------------------ */

int main(void)
{
    unsigned long long total0, steal0, total1, steal1;

    setvbuf(stdout, NULL, _IOLBF, 0);
    cpu_ticks(&total0, &steal0);
    spin_ns(200000000ULL); /* let the (virtual) CPU settle at full speed */
    calibrate_tsc();
    printf("# page size %ld, online CPUs %ld\n", sysconf(_SC_PAGESIZE),
           sysconf(_SC_NPROCESSORS_ONLN));
    double load[1];
    if (getloadavg(load, 1) == 1) /* other work on the box skews everything */
        printf("# 1-min load average at start: %.2f%s\n", load[0],
               load[0] > 0.5 ? "  (WARNING: machine is not idle)" : "");
    printf("# effective core clock at start: %.2f GHz\n", probe_core_ghz());
    print_header();

    bench_syscall();
    bench_first_touch();
    bench_zero_copy();
    bench_fork();
    bench_cow();
    bench_map_cycle();
    bench_ctxsw();

    printf("# effective core clock at end: %.2f GHz\n", probe_core_ghz());
    cpu_ticks(&total1, &steal1);
    if (total1 > total0)
        printf("# steal time during the run: %.1f%% of all CPU time\n",
               100.0 * (double)(steal1 - steal0) / (double)(total1 - total0));
    return 0;
}
