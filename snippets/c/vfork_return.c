/* vfork_return.c - the vfork child returns from the function that called vfork.
 * spawner() hands vfork()'s result back to main.  The child then runs main's
 * code on the stack it shares with the parent; its calls reuse the words where
 * spawner's frame kept its return address and saved frame pointer.  When the
 * parent later returns from spawner it uses whatever the child left there.
 * The top level forks the scenario ("victim") and reports how it ended.
 * With gcc 12 on x86-64 and lazy PLT binding (link with -Wl,-z,lazy):
 * -O0 dies with SIGSEGV (the saved frame pointer became 0, the index pushed
 * by the _exit PLT stub); -O2 exits 2 (the parent "returns" to the code that
 * follows the child's call to _exit, which here is main's error path). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// --8<-- [start:point]
__attribute__((noinline)) static pid_t spawner(void)
{
    pid_t pid = vfork();
    return pid;                 /* wrong: the child comes back through here too */
}

__attribute__((noinline, noclone)) static void helper(int x)
{
    char line[40];
    int n = snprintf(line, sizeof line, "child: helper(%d) ran\n", x);
    if (write(1, line, (size_t)n) < 0)
        _exit(3);
}

static int victim(void)
{
    int status;
    pid_t pid = spawner();

    if (pid == 0) {             /* child, running on its caller's frame */
        helper(42);
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 2;
    return 0;                   /* the expected ending: exit status 0 */
}
// --8<-- [end:point]

int main(void)
{
    struct rlimit no_core = { 0, 0 };
    int status;
    pid_t pid;

    prctl(PR_SET_CHILD_SUBREAPER, 1);   /* orphans come back to us to be reaped */
    pid = fork();
    if (pid == 0) {
        setrlimit(RLIMIT_CORE, &no_core);   /* a crash must not leave a core file */
        _exit(victim());
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        perror("fork/waitpid");
        return 1;
    }
    if (WIFEXITED(status))
        printf("parent: exited %d\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("parent: killed by SIG%s\n", sigabbrev_np(WTERMSIG(status)));
    while (wait(NULL) > 0)              /* reap the orphaned grandchild, if any */
        ;
    return 0;
}
