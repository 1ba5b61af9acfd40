/* kernel_rules.c - small rules of Linux and glibc that a model easily gets wrong.
 * Usage: kernel_rules RULE, one of
 *   cloexec-reuse   a close-on-exec descriptor is closed and its number reused by a
 *                   plain open: is the new one still closed at exec?
 *   setsid-leader   setsid by a process group leader
 *   setpgid-away    setpgid into a group of another session, and by a session leader
 *   spawn-groups    posix_spawn with a new session, with a process group, with both
 *   spawnp-empty    posix_spawnp with an empty PATH element (the working directory)
 *   addclose-bad    posix_spawn_file_actions_addclose of -1 and of a huge descriptor
 *   sigchld         the parent's SIGCHLD when a child exits: handled, and blocked
 *   vfork-errno     the parent's errno after its vfork child's exec failed
 *   wait-order      waitpid(-1) with three zombies that exited youngest first
 * Each prints "key: value" lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *name_of(int error)
{
    switch (error) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case ENOENT: return "ENOENT";
    case EINVAL: return "EINVAL";
    default: return strerrorname_np(error);
    }
}

/* A system call's result: "0", or the errno's name when it returned -1. */
static const char *result(int ret)
{
    return ret == -1 ? name_of(errno) : "0";
}

static void pause_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    nanosleep(&t, NULL);
}

/* Run fn in a child of its own (a fresh process group and session state for each rule),
 * so that setsid and setpgid leave this process as it was. */
static int in_child(int (*fn)(void))
{
    int status;
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn());
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cloexec_reuse(void)
{
    char probe[64];
    int first = open("/dev/null", O_RDONLY | O_CLOEXEC);
    close(first);
    int second = open("/dev/null", O_RDONLY);
    int flags = fcntl(second, F_GETFD);
    printf("the number is reused: %s\n", second == first ? "yes" : "no");
    printf("the new descriptor is close-on-exec: %s\n", flags & FD_CLOEXEC ? "yes" : "no");
    snprintf(probe, sizeof probe, "test -e /proc/self/fd/%d", second);
    printf("open after exec: %s\n", system(probe) == 0 ? "yes" : "no");
    return 0;
}

static int setsid_leader(void)
{
    printf("setsid by a process that leads no group: %s\n", result(setsid()));
    printf("setsid again, by the group leader it now is: %s\n", result(setsid()));
    return 0;
}

static int setpgid_away(void)
{
    /* the parent leads group G in session S; the child moves to a session of its own and
     * tries to come back into G */
    pid_t group = getpid();
    setpgid(0, 0);
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        printf("setpgid into a group of another session: %s\n", result(setpgid(0, group)));
        printf("setpgid by a session leader, to a group of its own: %s\n",
               result(setpgid(0, 0)));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}

static int spawn_with(short flags)
{
    posix_spawnattr_t attr;
    pid_t pid;
    char *argv[] = { "true", NULL };
    int status, rc;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, flags);
    posix_spawnattr_setpgroup(&attr, 0);
    rc = posix_spawn(&pid, "/bin/true", NULL, &attr, argv, environ);
    if (rc == 0)
        waitpid(pid, &status, 0);
    posix_spawnattr_destroy(&attr);
    return rc;
}

static int spawn_groups(void)
{
    printf("posix_spawn with a new session: %s\n", name_of(spawn_with(POSIX_SPAWN_SETSID)));
    printf("posix_spawn with a process group: %s\n",
           name_of(spawn_with(POSIX_SPAWN_SETPGROUP)));
    printf("posix_spawn with both: %s\n",
           name_of(spawn_with(POSIX_SPAWN_SETSID | POSIX_SPAWN_SETPGROUP)));
    return 0;
}

static int spawnp_empty(void)
{
    char folder[] = "/tmp/kernel_rules.XXXXXX";
    char tool[64];
    char *argv[] = { "tool", NULL };
    pid_t pid;
    int status, rc;
    if (!mkdtemp(folder))
        return 1;
    snprintf(tool, sizeof tool, "%s/tool", folder);
    FILE *script = fopen(tool, "w");
    fputs("#!/bin/sh\nexit 7\n", script);
    fclose(script);
    chmod(tool, 0755);
    if (chdir(folder) != 0)
        return 1;
    setenv("PATH", "/nonexistent::/bin", 1); /* the empty element: the working directory */
    rc = posix_spawnp(&pid, "tool", NULL, NULL, argv, environ);
    if (rc == 0)
        waitpid(pid, &status, 0);
    printf("posix_spawnp finds it in the working directory: %s\n",
           rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 7 ? "yes" : name_of(rc));
    unlink(tool);
    chdir("/");
    rmdir(folder);
    return 0;
}

static int addclose_bad(void)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    printf("addclose(-1): %s\n", name_of(posix_spawn_file_actions_addclose(&actions, -1)));
    printf("addclose(1 << 30): %s\n",
           name_of(posix_spawn_file_actions_addclose(&actions, 1 << 30)));
    printf("addclose(5): %s\n", name_of(posix_spawn_file_actions_addclose(&actions, 5)));
    posix_spawn_file_actions_destroy(&actions);
    return 0;
}

static volatile sig_atomic_t handled;

static void on_sigchld(int signo)
{
    (void)signo;
    handled++;
}

static int sigchld(void)
{
    sigset_t only, pending;
    pid_t pid;
    signal(SIGCHLD, on_sigchld);
    if ((pid = fork()) == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    printf("a handled SIGCHLD ran when the child exited: %s\n", handled ? "yes" : "no");
    sigemptyset(&only);
    sigaddset(&only, SIGCHLD);
    sigprocmask(SIG_BLOCK, &only, NULL);
    if ((pid = fork()) == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    sigpending(&pending);
    printf("a blocked SIGCHLD is pending after the child exited: %s\n",
           sigismember(&pending, SIGCHLD) ? "yes" : "no");
    return 0;
}

static int vfork_errno(void)
{
    char *argv[] = { "missing", NULL };
    errno = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        execve("/nonexistent/missing", argv, environ);
        _exit(127);
    }
    int seen = errno; /* read before anything else can set it */
    waitpid(pid, NULL, 0);
    printf("the parent's errno after the child's failed exec: %s\n", name_of(seen));
    return 0;
}

static int wait_order(void)
{
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        if ((pids[i] = fork()) == 0) {
            pause_ms(300 - 100 * i); /* the youngest exits first */
            _exit(i);
        }
    }
    pause_ms(600);
    for (int i = 0; i < 3; i++) {
        int status;
        pid_t got = waitpid(-1, &status, 0);
        int which = got == pids[0] ? 0 : got == pids[1] ? 1 : got == pids[2] ? 2 : -1;
        printf("waitpid(-1) number %d reaps child %d (exited %s)\n", i + 1, which + 1,
               which == 2 ? "first" : which == 1 ? "second" : "third");
    }
    return 0;
}

int main(int argc, char *argv[])
{
    static const struct { const char *name; int (*fn)(void); } rules[] = {
        { "cloexec-reuse", cloexec_reuse }, { "setsid-leader", setsid_leader },
        { "setpgid-away", setpgid_away },   { "spawn-groups", spawn_groups },
        { "spawnp-empty", spawnp_empty },   { "addclose-bad", addclose_bad },
        { "sigchld", sigchld },             { "vfork-errno", vfork_errno },
        { "wait-order", wait_order },
    };
    setvbuf(stdout, NULL, _IONBF, 0);
    for (size_t i = 0; argc == 2 && i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(argv[1], rules[i].name) == 0)
            return in_child(rules[i].fn);
    fprintf(stderr, "usage: kernel_rules RULE (see the comment at the top)\n");
    return 2;
}
