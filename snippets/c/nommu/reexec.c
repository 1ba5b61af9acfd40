/* A daemon without fork, the way BusyBox does it on no-MMU systems: vfork, exec the
 * same program again with a mark in argv (the child starts over in memory of its own),
 * and let the parent exit; the re-executed child goes on alone, adopted by init. */
#include "nommu.h"

static volatile long state;

// --8<-- [start:point]
static int daemon_child(void)
{
    sleep_ms(300); /* let the parent exit, and pid 2 report it, first */
    report("the re-executed child starts with fresh memory, state",
           state == 0 ? "0" : "not 0");
    report_number("its parent now (init)", sys_getppid(), 10);
    report_result("setsid", sys_setsid() > 0 ? 0 : -1);
    return 0;
}

static int daemon_parent(char **envp)
{
    char *again[4];
    long pid;
    again[0] = "/init", again[1] = "daemon", again[2] = "re-executed", again[3] = 0;
    state = 1;
    pid = sys_vfork();
    if (pid == 0) {
        sys_execve("/init", again, envp);
        sys_exit(111);
    }
    say("the parent exits, leaving the daemon\n");
    return 0;
}
// --8<-- [end:point]

int main(int argc, char **argv, char **envp)
{
    char *start[3];
    int status = 0;
    long pid;
    (void)argv;
    start[0] = "/init", start[1] = "daemon", start[2] = 0;

    if (argc == 3)
        return daemon_child();
    if (argc == 2)
        return daemon_parent(envp);
    pid = sys_vfork();
    if (pid == 0) {
        sys_execve("/init", start, envp);
        sys_exit(111);
    }
    sys_wait4(pid, &status, 0);
    report_number("the daemon's parent exited, status", status, 16);
    return 0;
}
