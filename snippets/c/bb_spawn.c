/* bb_spawn.c - a BusyBox-style spawn(): vfork + exec, exec errors come back
 * through a variable the child writes into the parent's memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int use_fork;   /* argv[1] == "fork": same code, but with a real fork() */

// --8<-- [start:point]
static pid_t spawn(char **argv)
{
    volatile int failed = 0;     /* shared with a vfork child, copied by fork */
    fflush(NULL);                /* nothing buffered may be written twice */
    pid_t pid = use_fork ? fork() : vfork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        failed = errno;          /* with vfork this lands in the parent's frame */
        _exit(111);
    }
    if (failed) {                /* the vfork parent resumes only after exec/_exit */
        waitpid(pid, NULL, 0);   /* reap the child that _exit(111)ed */
        errno = failed;
        return -1;
    }
    return pid;
}
// --8<-- [end:point]

static void try(const char *prog)
{
    char *argv[] = { (char *)prog, NULL };
    int st;
    pid_t pid = spawn(argv);
    if (pid < 0) {
        int e = errno;
        pid_t z = waitpid(-1, &st, WNOHANG);
        printf("spawn(%s): -1 %s, zombie left: %s\n", prog, strerrorname_np(e),
               z < 0 && errno == ECHILD ? "no" : "yes");
        return;
    }
    if (waitpid(pid, &st, 0) != pid)
        printf("spawn(%s): pid>0, waitpid: %s\n", prog, strerrorname_np(errno));
    else if (WIFEXITED(st))
        printf("spawn(%s): pid>0, status: exited %d\n", prog, WEXITSTATUS(st));
    else
        printf("spawn(%s): pid>0, status: raw 0x%04x\n", prog, st);
}

int main(int argc, char **argv)
{
    use_fork = argc > 1 && strcmp(argv[1], "fork") == 0;
    signal(SIGCHLD, SIG_DFL);   /* an inherited SIG_IGN would auto-reap children */
    printf("mode: %s\n", use_fork ? "fork" : "vfork");
    try("true");
    try("no-such-program-xyz");
    return 0;
}
