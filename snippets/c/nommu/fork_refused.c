/* fork on a no-MMU kernel: the fork system call, and the clone() that a C library's
 * fork() makes where there is none (clone with SIGCHLD and no CLONE_VM). */
#include "nommu.h"

static volatile long global;

int main(int argc, char **argv, char **envp)
{
    volatile long local = 0;
    int status = 0;
    long pid, start;
    (void)argc, (void)argv, (void)envp;

    report_result("fork system call", sys_fork());

    start = now_ms();
    pid = sys_clone(SIGCHLD);
    if (pid == 0) { /* the child: on the same stack as its parent */
        sleep_ms(200);
        global = 42;
        local = 7;
        sys_exit(42);
    }
    report("clone(SIGCHLD) without CLONE_VM", pid > 0 ? "a child" : errno_name(pid));
    report("the parent ran on at once", now_ms() - start < 100 ? "yes" : "no");
    sys_wait4(pid, &status, 0);
    report_number("wait status", status, 16);
    report_number("the child's write to a global, seen by the parent", global, 10);
    report_number("the child's write to a local, seen by the parent", local, 10);
    return 0;
}
