/* vfork and exec on a no-MMU kernel: the parent resumes at the exec, and the new
 * program, given the address of a variable of the parent's, reads and writes it. */
#include "nommu.h"

static volatile long secret;

/* The exec'd program: argv = {"/init", "pointer", "0x<address in the parent>"}. */
static int borrowed(char **argv)
{
    volatile long *theirs = (volatile long *)parse_hex(argv[2]);
    report("the new program's own variable is another one",
           theirs != &secret ? "yes" : "no");
    report_number("it reads the parent's variable through the address", *theirs, 10);
    *theirs = 99;
    sleep_ms(300);
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    char address[24];
    char *args[4];
    int status = 0;
    long pid, start, resumed_after;

    if (argc == 3 && same(argv[1], "pointer"))
        return borrowed(argv);
    args[0] = "/init", args[1] = "pointer", args[3] = 0;
    args[2] = format_hex((unsigned long)&secret, address);
    secret = 42;
    start = now_ms();
    pid = sys_vfork();
    if (pid == 0) {
        sys_execve("/init", args, envp);
        sys_exit(127);
    }
    resumed_after = now_ms() - start;
    sys_wait4(pid, &status, 0); /* print only now, after the child's lines */
    report("the parent resumed at the exec, while the child still ran",
           resumed_after < 300 ? "yes" : "no");
    report_number("wait status", status, 16);
    report_number("the parent's variable after the child's program wrote it",
                  secret, 10);
    return 0;
}
