/* exec_order.c - at which moment of execve is a vfork parent released?
 * Usage: exec_order missing|notexec|ok|late
 *   missing  the child execs a path that does not exist
 *   notexec  the child execs a file without execute permission
 *   ok       the child execs this program again, which reports on the parent
 *   late     the child execs this program again under a 256 MiB address-space
 *            limit; its 1 GiB bss (below) cannot fit, and the kernel finds that
 *            out only while building the new image, past the point of no return
 * The parent's state comes from /proc/PID/stat: D = still suspended in vfork,
 * S = running again (by then it sleeps in waitpid).  Lines are written with
 * write(2), so each appears at the moment it is produced. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define say(...) dprintf(1, __VA_ARGS__)

char big[1 << 30];   /* 1 GiB of bss (not static: kept even if unused) */

/* First line of /proc/PID/FILE into buf; empty string if unreadable. */
static void read_proc(pid_t pid, const char *file, char *buf, int size)
{
    char path[64];
    int fd, n = 0;
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    if ((fd = open(path, O_RDONLY)) >= 0) {
        n = (int)read(fd, buf, (size_t)size - 1);
        close(fd);
    }
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
}

/* PID's state letter once it is not running (R); polled for up to 5 s in
 * 1 ms steps.  0 means timeout. */
static char settled_state(pid_t pid)
{
    struct timespec step = { 0, 1000000 };
    char buf[512], *p;
    for (int i = 0; i < 5000; i++, nanosleep(&step, NULL)) {
        read_proc(pid, "stat", buf, sizeof buf);
        if ((p = strrchr(buf, ')')) && p[1] == ' ' && p[2] != 'R')
            return p[2];
    }
    return 0;
}

static void report_parent(const char *who, pid_t parent)
{
    char s = settled_state(parent);
    if (s)
        say("%s saw parent: state %c\n", who, s);
    else
        say("%s saw parent: timeout, still running\n", who);
}

int main(int argc, char *argv[])
{
    char scratch[256] = "", pidstr[16], name_before[32], name_after[32];
    const char *cs = argc > 1 ? argv[1] : "";
    struct rlimit small = { 256 << 20, 256 << 20 };
    int status, fd;

    if (argc == 3 && !strcmp(cs, "report-parent")) {   /* the exec'd image */
        report_parent("new image", (pid_t)atoi(argv[2]));
        return big[0];
    }
    if (argc != 2 || (strcmp(cs, "missing") && strcmp(cs, "notexec")
                      && strcmp(cs, "ok") && strcmp(cs, "late"))) {
        fprintf(stderr, "usage: %s missing|notexec|ok|late\n", argv[0]);
        return 2;
    }
    if (!strcmp(cs, "notexec")) {       /* an existing file, mode 0644 */
        snprintf(scratch, sizeof scratch, "%s/exec_order.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if ((fd = mkstemp(scratch)) < 0 || fchmod(fd, 0644) != 0) {
            perror("mkstemp");
            return 1;
        }
        close(fd);
    }
    const char *path = !strcmp(cs, "late") ? "/proc/self/exe"
                       : scratch[0] ? scratch : "/nonexistent/prog";
    read_proc(getpid(), "comm", name_before, sizeof name_before);
    snprintf(pidstr, sizeof pidstr, "%d", (int)getpid());

// --8<-- [start:point]
    pid_t child = vfork();
    if (child == 0) {
        if (!strcmp(cs, "ok"))
            execl("/proc/self/exe", "exec_order", "report-parent", pidstr, (char *)0);
        if (!strcmp(cs, "late"))
            setrlimit(RLIMIT_AS, &small);       /* affects the child only */
        execl(path, path, (char *)0);
        say("child: execve failed with %s\n", strerrorname_np(errno));
        report_parent("child", getppid());
        _exit(127);
    }
    if (child < 0) {
        perror("vfork");
        return 1;
    }
    /* Wait for the child's end without reaping it, so /proc still shows
     * the name it had when it ended: a new name means that its exec got
     * past the point where the kernel drops the old program. */
    siginfo_t si;
    waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT);
    read_proc(child, "comm", name_after, sizeof name_after);
    say("parent: the child ended with %s program name\n",
        strcmp(name_before, name_after) ? "a new" : "the old");
    if (waitpid(child, &status, 0) == child && WIFEXITED(status))
        say("parent: child exited %d\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        say("parent: child killed by SIG%s\n", sigabbrev_np(WTERMSIG(status)));
// --8<-- [end:point]
    if (scratch[0])
        unlink(scratch);
    return 0;
}
