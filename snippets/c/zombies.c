/* zombies.c - zombie, WNOHANG, orphan/subreaper, SIGCHLD=SIG_IGN, fork EAGAIN. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* State letter from /proc/PID/stat ('?' if the entry does not exist). */
static char state_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');      /* the comm field may contain spaces */
    return p && p[1] == ' ' ? p[2] : '?';
}

/* Poll (up to 5 s) until pid shows state `want`; returns 0 on timeout. */
static int wait_state(pid_t pid, char want)
{
    struct timespec ms = { 0, 1000000 };
    for (int i = 0; i < 5000; i++, nanosleep(&ms, NULL))
        if (state_of(pid) == want)
            return 1;
    printf("timeout waiting for state %c\n", want);
    return 0;
}

static void zombie(void)
{
    int st;
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    if (wait_state(pid, 'Z'))
        printf("child state before waitpid: Z (zombie)\n");
    pid_t r = waitpid(pid, &st, 0);
    printf("waitpid returned the child: %s, exit code %d\n",
           r == pid ? "yes" : "no", WEXITSTATUS(st));
    printf("/proc entry after waitpid: %s\n",
           state_of(pid) == '?' ? "gone" : "present");
}

static void wnohang(void)
{
    int pfd[2], st;
    char c;
    if (pipe(pfd) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {                       /* runs until the pipe reaches EOF */
        close(pfd[1]);
        _exit(read(pfd[0], &c, 1) == 0 ? 0 : 1);
    }
    close(pfd[0]);
    pid_t r = waitpid(pid, &st, WNOHANG);
    printf("waitpid(WNOHANG) on a running child: %d\n", (int)r);
    close(pfd[1]);                        /* release the child */
    r = waitpid(pid, &st, 0);
    printf("after release, blocking waitpid: %s, exit code %d\n",
           r == pid ? "the child" : "other", WEXITSTATUS(st));
}

static const char *role(pid_t p, pid_t me, pid_t middle)
{
    return p == me ? "the subreaper" : p == middle ? "the middle process"
         : p == 1 ? "pid 1" : "some other process";
}

static void orphan(void)
{
    int go[2], ready[2], rep[2], st;
    pid_t me = getpid(), v[3] = { 0, 0, 0 };   /* grandchild pid, ppid before/after */
    prctl(PR_SET_CHILD_SUBREAPER, 1);          /* pid 1 here may never reap orphans */
    if (pipe(go) || pipe(ready) || pipe(rep))
        return;
    pid_t middle = fork();
    if (middle == 0) {
        if (fork() == 0) {                     /* grandchild */
            v[0] = getpid();
            v[1] = getppid();
            if (write(ready[1], "r", 1) != 1 || read(go[0], &st, 1) != 1)
                _exit(1);
            v[2] = getppid();
            _exit(write(rep[1], v, sizeof v) == sizeof v ? 0 : 1);
        }
        char c;                                /* leave once the grandchild noted us */
        _exit(read(ready[0], &c, 1) == 1 ? 0 : 1);
    }
    waitpid(middle, &st, 0);                   /* middle is gone: reparenting done */
    if (write(go[1], "g", 1) != 1 || read(rep[0], v, sizeof v) != sizeof v)
        return;
    printf("grandchild's parent while the middle lives: %s\n", role(v[1], me, middle));
    printf("grandchild's parent after the middle exits: %s\n", role(v[2], me, middle));
    pid_t r = waitpid(-1, &st, 0);
    printf("subreaper's waitpid(-1) returned the grandchild: %s, exit code %d\n",
           r == v[0] ? "yes" : "no", WEXITSTATUS(st));
}

static void sigchld_ignored(void)
{
    int st;
    signal(SIGCHLD, SIG_IGN);                  /* children are reaped automatically */
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    pid_t r = waitpid(pid, &st, 0);            /* blocks until the child is gone */
    printf("waitpid: %d %s\n", (int)r, r < 0 ? strerrorname_np(errno) : "-");
    printf("/proc entry of the child: %s\n", state_of(pid) == '?' ? "gone" : "present");
}

/* Count live processes whose real uid is uid, from /proc/PID/status. */
static int count_uid(uid_t uid)
{
    char path[300], line[128];
    unsigned real;
    int n = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        FILE *f = e->d_name[0] > '0' && e->d_name[0] <= '9' ? fopen(path, "r") : NULL;
        while (f && fgets(line, sizeof line, f))
            if (sscanf(line, "Uid: %u", &real) == 1) {
                n += real == uid;
                break;
            }
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return n;
}

/* In a helper: show root ignores RLIMIT_NPROC, then hit it as an unused uid. */
static void eagain(const char *arg)
{
    int st;
    fflush(stdout);
    pid_t helper = fork();
    if (helper == 0) {
        /* default uid: derived from our own pid, so concurrent runs never share it */
        uid_t uid = arg ? (uid_t)strtoul(arg, NULL, 10) : 100000 + (uid_t)getpid();
        while (getpwuid(uid))
            uid++;
        struct rlimit rl;
        getrlimit(RLIMIT_NPROC, &rl);
        rl.rlim_cur = 1;
        setrlimit(RLIMIT_NPROC, &rl);
        pid_t c = fork();
        if (c == 0)
            _exit(0);
        printf("as root, RLIMIT_NPROC=1: fork %s\n",
               c > 0 ? "ok" : strerrorname_np(errno));
        waitpid(c, &st, 0);
        if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
            printf("cannot switch uid: %s\n", strerrorname_np(errno));
            _exit(1);
        }
        int have = count_uid(uid);
        rl.rlim_cur = have + 2;
        setrlimit(RLIMIT_NPROC, &rl);
        printf("unused uid: %d process(es) incl. this helper; RLIMIT_NPROC=%d\n",
               have, (int)rl.rlim_cur);
        pid_t kids[16];
        int n = 0;
        for (int k = 1; k <= 16; k++) {
            c = fork();
            if (c == 0)
                for (;;)
                    pause();           /* stays alive so it keeps counting */
            if (c < 0) {
                printf("fork number %d failed: %s\n", k, strerrorname_np(errno));
                break;
            }
            printf("fork number %d: ok\n", k);
            kids[n++] = c;
        }
        for (int i = 0; i < n; i++)
            kill(kids[i], SIGKILL);
        int reaped = 0;
        while (waitpid(-1, &st, 0) > 0)
            reaped++;
        printf("children killed and reaped: %d\n", reaped);
        fflush(stdout);
        _exit(0);
    }
    waitpid(helper, &st, 0);
}

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";
    signal(SIGCHLD, SIG_DFL);   /* an inherited SIG_IGN would auto-reap children */
    if (!strcmp(c, "zombie"))
        zombie();
    else if (!strcmp(c, "wnohang"))
        wnohang();
    else if (!strcmp(c, "orphan"))
        orphan();
    else if (!strcmp(c, "sigchld-ignored"))
        sigchld_ignored();
    else if (!strcmp(c, "eagain"))
        eagain(argc > 2 ? argv[2] : NULL);
    else {
        fprintf(stderr, "usage: %s zombie|wnohang|orphan|sigchld-ignored"
                "|eagain [uid]\n", argv[0]);
        return 2;
    }
    return 0;
}
