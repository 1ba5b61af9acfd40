/* cow_pagemap.c - make copy-on-write visible: pagemap bits and minor-fault counts. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES 64
#define EXCL (1ULL << 56)              /* "page exclusively mapped" */
#define PFN(e) ((e) & ((1ULL << 55) - 1))
static char *buf;                       /* the NPAGES pages under study */
static long psz, pfn_ok;
static uint64_t entry(int page)         /* reopened: "self" is whoever asks */
{
    uint64_t e = 0;
    int fd = open("/proc/self/pagemap", O_RDONLY);
    off_t off = (off_t)((uintptr_t)(buf + page * psz) / psz) * 8;
    if (fd < 0 || pread(fd, &e, sizeof e, off) != sizeof e) exit(2);
    close(fd);
    return e;
}
static int excl(uint64_t e) { return (e & EXCL) != 0; }
static const char *ans(int cond) { return !pfn_ok ? "unknown" : cond ? "yes" : "no"; }
static long minflt(void)   /* 2 calls: the 1st may COW-fault the stack page of r */
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt;
}
static void put(int fd) { char c = 1; if (write(fd, &c, 1) != 1) exit(3); }
static void get(int fd) { char c; if (read(fd, &c, 1) != 1) exit(3); }
// --8<-- [start:point]
static void child(int tell, int wait_for, uint64_t p0)
{
    uint64_t before = entry(0);
    printf("child page 0 before write: exclusive=%d\n", excl(before));
    printf("child page 0 pfn same as parent's: %s\n", ans(PFN(before) == PFN(p0)));
    buf[0] = 2;                          /* the copy-on-write fault happens here */
    uint64_t after = entry(0);
    printf("child page 0 after write: exclusive=%d\n", excl(after));
    printf("child page 0 pfn changed by write: %s\n", ans(PFN(after) != PFN(before)));
    put(tell);
    get(wait_for);
    int next = 2, ks[] = { 1, 8, 32 };   /* pages 2 and up are still shared */
    for (int j = 0; j < 3; j++, next += ks[j - 1]) {
        long f0 = minflt();
        for (int i = 0; i < ks[j]; i++) buf[(next + i) * psz] = 3;
        printf("child after writing %d pages: minor faults +%ld\n",
               ks[j], minflt() - f0);
    }
    _exit(0);
}
// --8<-- [end:point]
int main(void)
{
    int c2p[2], p2c[2], present = 0, ex = 0, npfn = 0, st;
    setvbuf(stdout, NULL, _IOLBF, 0);   /* lines leave at once; pipes decide order */
    psz = sysconf(_SC_PAGESIZE);
    buf = mmap(NULL, NPAGES * psz, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED || pipe(c2p) || pipe(p2c)) return 1;
    madvise(buf, NPAGES * psz, MADV_NOHUGEPAGE);
    for (int i = 0; i < NPAGES; i++) buf[i * psz] = 1;
    for (int i = 0; i < NPAGES; i++) {
        uint64_t e = entry(i);
        present += (e >> 63) & 1, ex += excl(e), npfn += PFN(e) != 0;
    }
    pfn_ok = npfn == NPAGES;
    printf("before fork: pages=%d present=%d exclusive=%d\n", NPAGES, present, ex);
    printf("pfn readable: %s\n", pfn_ok ? "yes" : "no (reads as 0)");
    uint64_t p0 = entry(0);
    pid_t pid = fork();
    if (pid <= 0) pid < 0 ? exit(1) : child(c2p[1], p2c[0], p0);
    get(c2p[0]);                         /* child has written its page 0 */
    uint64_t e0 = entry(0), e1 = entry(1);
    printf("parent page 0 after child write: exclusive=%d pfn unchanged: %s\n",
           excl(e0), ans(PFN(e0) == PFN(p0)));
    printf("parent page 1 after child write: exclusive=%d\n", excl(e1));
    long f0 = minflt();
    buf[0] = 4;                          /* sole user now: page is reused, not copied */
    long df = minflt() - f0;
    printf("parent page 0 after own write: exclusive=%d pfn unchanged: %s"
           " minor faults +%ld\n", excl(entry(0)), ans(PFN(entry(0)) == PFN(p0)), df);
    put(p2c[1]);
    waitpid(pid, &st, 0);
    return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
