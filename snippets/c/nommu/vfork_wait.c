/* vfork on a no-MMU kernel: the parent waits while the child runs in its memory. */
#include "nommu.h"

int main(int argc, char **argv, char **envp)
{
    volatile long shared = 1;
    int status = 0;
    long pid, start;
    (void)argc, (void)argv, (void)envp;

    start = now_ms();
    pid = sys_vfork();
    if (pid == 0) {
        sleep_ms(300);
        shared = 2; /* the parent's own variable: there is only one */
        sys_exit(5);
    }
    report("vfork", pid > 0 ? "a child" : errno_name(pid));
    report("the parent was suspended until the child's _exit",
           now_ms() - start >= 300 ? "yes" : "no");
    report_number("the parent's variable after the child wrote it", shared, 10);
    report_result("wait4 for the child", sys_wait4(pid, &status, 0) == pid ? 0 : -1);
    report_number("wait status", status, 16);
    report_result("wait4 again, with no child left", sys_wait4(-1, &status, 0));
    return 0;
}
