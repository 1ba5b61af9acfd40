/* vfork_signal.c - a signal sent to a parent that is suspended in vfork().
 * Usage: vfork_signal CASE   (term-default kill term-handled term-blocked
 *                             tstp quit-core pending-handled)
 * The top level forks P.  P prepares the signal disposition, then vforks C.
 * C waits until P sleeps in vfork (state D), sends the signal, observes P in
 * /proc and reports, then calls _exit.  The top level reports P's fate. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t term_seen;

static void say(const char *fmt, ...)           /* unbuffered line on stdout */
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 1)
        n = sizeof line - 1;
    if (n > 0 && write(1, line, (size_t)n) < 0)
        _exit(3);
}

static void on_term(int sig) { (void)sig; term_seen = 1; }
static void on_usr1(int sig) { (void)sig; say("parent: SIGUSR1 handler ran\n"); }

/* Read /proc/PID/FILE into buf; returns bytes read, 0 if the process is gone. */
static int read_proc(pid_t pid, const char *file, char *buf, int size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    int fd = open(path, O_RDONLY), n = 0;
    if (fd >= 0) {
        n = (int)read(fd, buf, (size_t)size - 1);
        close(fd);
    }
    buf[n > 0 ? n : 0] = '\0';
    return n > 0 ? n : 0;
}

static char state_of(pid_t pid)                 /* '?' means: no such process */
{
    char buf[512];
    char *p = read_proc(pid, "stat", buf, sizeof buf) ? strrchr(buf, ')') : NULL;
    return p && p[1] == ' ' ? p[2] : '?';
}

/* Poll (up to 5 s, 1 ms steps) until PID's state letter is in WANT. */
static char wait_state(pid_t pid, const char *want)
{
    struct timespec step = { 0, 1000000 };
    char s = state_of(pid);
    for (int i = 0; i < 5000 && !strchr(want, s); i++) {
        nanosleep(&step, NULL);
        s = state_of(pid);
    }
    return strchr(want, s) ? s : 0;
}

/* Names of the signals set in the hex mask that follows FIELD in status. */
static void pending(const char *status, const char *field, char *out, size_t size)
{
    const char *p = strstr(status, field);
    unsigned long long mask = p ? strtoull(p + strlen(field), NULL, 16) : 0;
    out[0] = '\0';
    for (int sig = 1; sig < 64; sig++)
        if (mask >> (sig - 1) & 1)
            snprintf(out + strlen(out), size - strlen(out), " SIG%s",
                     sigabbrev_np(sig) ? sigabbrev_np(sig) : "RT");
    if (!out[0])
        snprintf(out, size, " none");
}

// --8<-- [start:point]
static void child_side(pid_t p, int sig, int also_usr1, int sync_fd)
{
    char status[2048], thr[80], shd[80];
    if (!wait_state(p, "D")) {
        say("child: timeout waiting for parent to sleep in vfork\n");
    } else {
        if (also_usr1)
            kill(p, SIGUSR1);
        kill(p, sig);
        read_proc(p, "status", status, sizeof status);
        pending(status, "\nSigPnd:", thr, sizeof thr);
        pending(status, "\nShdPnd:", shd, sizeof shd);
        if (state_of(p) == 'D' && !strstr(thr, "SIGKILL"))
            say("child saw parent: still suspended (state D), pending:%s\n", shd);
        else if (wait_state(p, "Z") == 'Z')
            say("child saw parent: dead (state Z) while child still runs\n");
        else
            say("child: timeout waiting for parent to die\n");
    }
    if (write(sync_fd, "!", 1) < 0)             /* tell the top level we are done */
        _exit(4);
    _exit(0);
}
// --8<-- [end:point]

static void parent_side(const char *cs, int sig, int sync_fd)
{
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    setpgid(0, 0);          /* own, non-orphaned group: SIGTSTP is not discarded */
    if (!strcmp(cs, "term-handled"))
        signal(SIGTERM, on_term);
    if (!strcmp(cs, "term-blocked"))
        sigprocmask(SIG_BLOCK, &term, NULL);
    if (!strcmp(cs, "pending-handled"))
        signal(SIGUSR1, on_usr1);
    if (!strcmp(cs, "quit-core")) {
        struct rlimit core = { RLIM_INFINITY, RLIM_INFINITY };
        setrlimit(RLIMIT_CORE, &core);
    }
    pid_t parent = getpid(), c = vfork();
    if (c == 0)
        child_side(parent, sig, !strcmp(cs, "pending-handled"), sync_fd);
    close(sync_fd);
    say("parent: back from vfork\n");
    if (c < 0 || waitpid(c, NULL, 0) != c)
        _exit(1);
    if (term_seen)
        say("parent: SIGTERM handler ran\n");
    if (!strcmp(cs, "term-blocked")) {
        say("parent: unblocking SIGTERM\n");
        sigprocmask(SIG_UNBLOCK, &term, NULL);
    }
    _exit(0);
}

static void report(pid_t p)             /* print P's fate; resume it if stopped */
{
    int st;
    while (waitpid(p, &st, WUNTRACED) == p) {
        if (WIFSTOPPED(st)) {
            say("P stopped by SIG%s\n", sigabbrev_np(WSTOPSIG(st)));
            kill(p, SIGCONT);
            continue;
        }
        if (WIFEXITED(st))
            say("P exited %d\n", WEXITSTATUS(st));
        else
            say("P killed by SIG%s%s\n", sigabbrev_np(WTERMSIG(st)),
                WCOREDUMP(st) ? " (core dumped)" : "");
        return;
    }
}

int main(int argc, char *argv[])
{
    static const struct { const char *name; int sig; } cases[] = {
        { "term-default", SIGTERM }, { "kill", SIGKILL }, { "term-handled", SIGTERM },
        { "term-blocked", SIGTERM }, { "tstp", SIGTSTP }, { "quit-core", SIGQUIT },
        { "pending-handled", SIGTERM },
    };
    int i, n = sizeof cases / sizeof cases[0], sync[2];
    char dir[256], buf[1];

    for (i = 0; argc == 2 && i < n && strcmp(argv[1], cases[i].name); i++)
        ;
    if (argc != 2 || i == n) {
        fprintf(stderr, "usage: %s CASE (see source for the list)\n", argv[0]);
        return 2;
    }
    /* A scratch directory to be P's working directory, where a core may land. */
    snprintf(dir, sizeof dir, "%s/vfork_signal.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir) || chdir(dir) != 0 || pipe(sync) != 0) {
        perror("setup");
        return 1;
    }
    pid_t p = fork();
    if (p == 0) {
        close(sync[0]);
        parent_side(cases[i].name, cases[i].sig, sync[1]);
    }
    close(sync[1]);
    struct pollfd pfd = { sync[0], POLLIN, 0 };
    if (poll(&pfd, 1, 10000) != 1 || read(sync[0], buf, 1) != 1)
        say("top: timeout waiting for the child's report\n");
    report(p);

    DIR *d = opendir(".");              /* remove any core file, then the directory */
    for (struct dirent *e; d && (e = readdir(d)); )
        if (e->d_name[0] != '.')
            unlink(e->d_name);
    if (d)
        closedir(d);
    if (chdir("/") != 0 || rmdir(dir) != 0)
        perror("cleanup");
    return 0;
}
