/* exec failures on a no-MMU kernel, as a vforking parent sees them (the BusyBox way:
 * the child stores errno in the memory it shares with the parent and exits 111), and
 * the zombie a child leaves until it is reaped. */
#include "nommu.h"

static volatile long child_errno;

static void try_exec(const char *path, char **envp)
{
    char *args[2];
    int status = 0;
    long pid;
    args[0] = (char *)path, args[1] = 0;
    pid = sys_vfork();
    if (pid == 0) {
        child_errno = -sys_execve(path, args, envp);
        sys_exit(111);
    }
    sys_wait4(pid, &status, 0);
    say("exec ");
    say(path);
    say(": ");
    say(errno_name(-child_errno));
    say(", exit status ");
    say_number(status >> 8, 10);
    say("\n");
}

int main(int argc, char **argv, char **envp)
{
    int status = 0;
    long pid;
    (void)argc, (void)argv;

    try_exec("/bin/no-such-program", envp);
    try_exec("/bin/elf", envp);
    try_exec("/bin/not-executable", envp);
    try_exec("/bin/no-shebang", envp);
    try_exec("/bin/missing-interpreter", envp);

    pid = sys_vfork();
    if (pid == 0)
        sys_exit(3);
    sleep_ms(100); /* the child has exited: a zombie until waited for */
    report("wait4 with WNOHANG finds the exited child",
           sys_wait4(-1, &status, WNOHANG) == pid ? "yes" : "no");
    report_number("its status", status, 16);
    report_result("wait4 again", sys_wait4(-1, &status, WNOHANG));
    return 0;
}
