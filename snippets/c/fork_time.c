/* fork_time.c - fork, vfork and posix_spawn of /bin/true against parent size.
 * usage: fork_time [runs [thp]]   ("thp" asks for huge pages, else 4 KiB pages) */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static char *const args[] = { "/bin/true", NULL };
static const char *const names[] = { "fork", "vfork", "posix_spawn" };

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
/* The child never returns from here, which keeps the vfork case legal. */
static pid_t start(int call)
{
    pid_t pid;
    if (call == 2)
        return posix_spawn(&pid, args[0], NULL, NULL, args, environ) ? -1 : pid;
    pid = call == 0 ? fork() : vfork();
    if (pid == 0) {
        execv(args[0], args);
        _exit(127);
    }
    return pid;
}
static long anon_huge_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "AnonHugePages: %ld", &kb) == 1) break;
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 20, st;
    int thp = argc > 2 && strcmp(argv[2], "thp") == 0;
    long sizes[] = { 0, 64, 256, 1024 };
    double *ret = calloc(6 * (runs + 1), sizeof *ret), *rt = ret + 3 * (runs + 1);
    if (runs < 1 || !ret) return 1;
    for (int s = 0; s < 4; s++) {
        long len = sizes[s] << 20;
        char *p = len ? mmap(NULL, len, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;
        if (p == MAP_FAILED) return 1;
        if (len) madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
        if (len) memset(p, 1, len);                   /* touch every page */
        printf("size_mib=%ld thp=%d anon_huge_kb=%ld\n", sizes[s], thp, anon_huge_kb());
        /* Calls take turns so that machine noise hits all three alike. */
        for (int r = 0; r <= runs; r++) {             /* run 0 is an untimed warm-up */
            for (int c = 0; c < 3; c++) {
                double t0 = now_us();
                pid_t pid = start(c);
                double t1 = now_us();
                if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0) return 1;
                double t2 = now_us();
                ret[c * (runs + 1) + r] = t1 - t0, rt[c * (runs + 1) + r] = t2 - t0;
            }
        }
        for (int c = 0; c < 3; c++) {
            double *a = ret + c * (runs + 1) + 1, *b = rt + c * (runs + 1) + 1;
            qsort(a, runs, sizeof *a, cmp);
            qsort(b, runs, sizeof *b, cmp);
            printf("size_mib=%ld thp=%d call=%s return_us_median=%.1f"
                   " return_us_min=%.1f roundtrip_us_median=%.1f roundtrip_us_min=%.1f"
                   " runs=%d\n",
                   sizes[s], thp, names[c], a[runs / 2], a[0], b[runs / 2], b[0], runs);
        }
        if (len) munmap(p, len);
    }
    return 0;
}
