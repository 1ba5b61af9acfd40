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

int main(void)
{
    long sizes[] = { 64, 256, 1024 };
    long base_parent = vmpte(), base_child = child_vmpte();
    printf("baseline: VmPTE parent=%ld kB child=%ld kB\n", base_parent, base_child);
    for (int i = 0; i < 3; i++) {
        char *p = map(sizes[i], 0);
        long vp = vmpte(), vc = child_vmpte();
        printf("parent %ld MiB: VmPTE parent=%ld kB child=%ld kB\n", sizes[i], vp, vc);
        printf("parent %ld MiB: child kB per MiB of parent=%.3f\n", sizes[i],
               (double)(vc - base_child) / sizes[i]);
        munmap(p, sizes[i] * MIB);
    }
    /* A shared mapping has no anon pages: fork leaves its PTEs to be faulted later. */
    char *p = map(256, 1);
    long vp = vmpte(), vc = child_vmpte();
    printf("shared 256 MiB: VmPTE parent=%ld kB child=%ld kB\n", vp, vc);
    printf("shared 256 MiB: child kB per MiB of parent=%.3f\n",
           (double)(vc - base_child) / 256);
    munmap(p, 256 * MIB);
    return 0;
}
