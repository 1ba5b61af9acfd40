/* spawn_late.c - posix_spawn when the exec fails after its point of no return.
 * glibc's posix_spawn starts the child with CLONE_VFORK and learns about an
 * exec failure only if the child gets to report it.  This program carries
 * 1 GiB of bss; it gives its own copy of that address space back, lowers its
 * address-space limit to 256 MiB (children inherit it), then spawns a missing
 * program and itself: the new image cannot fit, which the kernel finds out
 * only while building it.  It shows what posix_spawn returned and how each
 * child ended. */
#define _GNU_SOURCE
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
char big[1 << 30];   /* 1 GiB of bss (not static: kept even if unused) */

// --8<-- [start:point]
static void try_spawn(const char *label, const char *path)
{
    char *child_argv[] = { (char *)path, "helper", NULL };
    pid_t pid;
    int status, rc = posix_spawn(&pid, path, NULL, NULL, child_argv, environ);

    printf("posix_spawn(%s) returned %s\n", label, rc ? strerrorname_np(rc) : "0");
    if (rc != 0)
        return;
    if (waitpid(pid, &status, 0) != pid)
        perror("waitpid");
    else if (WIFEXITED(status))
        printf("%s child exited %d\n", label, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s child killed by SIG%s\n", label, sigabbrev_np(WTERMSIG(status)));
}
// --8<-- [end:point]

int main(int argc, char *argv[])
{
    struct rlimit small = { 256 << 20, 256 << 20 };
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)big + page - 1) & ~(uintptr_t)(page - 1);

    if (argc > 1) {                     /* the spawned image, if it ever ran */
        printf("%s: running (no limit was applied)\n", argv[1]);
        return big[0];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* our own 1 GiB must not count against the limit: give it back */
    if (munmap((void *)start, sizeof big - page) != 0
        || setrlimit(RLIMIT_AS, &small) != 0) {
        perror("munmap/setrlimit");
        return 1;
    }
    try_spawn("missing", "/nonexistent/prog");
    try_spawn("itself", "/proc/self/exe");
    return 0;
}
