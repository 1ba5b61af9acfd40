/* pte_growth.c - page-table memory (VmPTE) of a parent and of its fresh fork child. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024L * 1024)

static long vmpte(void)        /* no stdio here: the child must not allocate */
{
    char text[8192], *p;
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    if (n <= 0) return -1;
    text[n] = 0;
    p = strstr(text, "VmPTE:");
    return p ? strtol(p + 6, NULL, 10) : -1;
}

/* Fork; the child reports its VmPTE through a pipe before touching anything. */
static long child_vmpte(void)
{
    int fds[2];
    long v = -1;
    if (pipe(fds)) exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        v = vmpte();
        _exit(write(fds[1], &v, sizeof v) != sizeof v);
    }
    if (pid < 0 || read(fds[0], &v, sizeof v) != sizeof v) exit(1);
    waitpid(pid, NULL, 0);
    close(fds[0]), close(fds[1]);
    return v;
}

static char *map(long mib, int shared)
{
    int fd = -1;
    if (shared && ((fd = memfd_create("ptes", 0)) < 0 || ftruncate(fd, mib * MIB)))
        exit(1);
    char *p = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE,
                   shared ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS, fd, 0);
    if (p == MAP_FAILED) exit(1);
    if (fd >= 0) close(fd);
    madvise(p, mib * MIB, MADV_NOHUGEPAGE);
    for (long off = 0; off < mib * MIB; off += 4096) p[off] = 1;
    return p;
}

/* Usage: pte_growth [exact]
 * Page tables move by a few kB from run to run (where the mapping falls against
 * 2 MiB boundaries), so by default it prints kB per MiB rounded; "exact" prints
 * the measured values too. */
// --8<-- [start:point]
int main(int argc, char *argv[])
{
    long sizes[] = { 64, 256, 1024 };
    int exact = argc > 1 && strcmp(argv[1], "exact") == 0;
    long base_child = child_vmpte();
    for (int i = 0; i < 4; i++) {
        /* last, a 256 MiB shared mapping: it has no anonymous pages, so fork leaves
         * its page-table entries to be filled in by faults later */
        int shared = i == 3;
        long mib = shared ? 256 : sizes[i];
        char *p = map(mib, shared);
        long vp = vmpte(), vc = child_vmpte();
        double per_mib = (double)(vc - base_child) / mib;
        printf("%s %ld MiB: child's VmPTE %s the parent's, about %.0f kB per MiB\n",
               shared ? "shared" : "parent", mib, vc == vp ? "equals" : "is below",
               per_mib);
        if (exact)
            printf("%s %ld MiB: exact: parent=%ld kB child=%ld kB, %.3f kB per MiB\n",
                   shared ? "shared" : "parent", mib, vp, vc, per_mib);
        munmap(p, mib * MIB);
    }
    return 0;
}
// --8<-- [end:point]
