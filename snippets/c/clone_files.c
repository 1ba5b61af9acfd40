/* clone_files.c - clone(CLONE_VM | CLONE_VFORK) on a stack of its own, with and
   without CLONE_FILES: a shared descriptor table, or a copy. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int fd;

static int child(void *arg)
{
    (void)arg;
    close(fd);                           /* in whose table? */
    return 0;
}

static void try(const char *label, int flags)
{
    static char stack[64 * 1024];
    fd = open("/dev/null", O_RDONLY);
    int all = flags | CLONE_VM | CLONE_VFORK | SIGCHLD;
    pid_t pid = clone(child, stack + sizeof stack, all, NULL);
    waitpid(pid, NULL, 0);
    int open_still = fcntl(fd, F_GETFD) != -1;
    printf("%-12s the child closed fd %d; in the parent it is %s\n", label, fd,
           open_still ? "still open" : "closed too");
    if (open_still)
        close(fd);
}

int main(void)
{
    try("own table:", 0);
    try("CLONE_FILES:", CLONE_FILES);
    return 0;
}
