/* wait_status.c - decode the int that waitpid() fills in, one case per line. */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// --8<-- [start:decode]
static void show(const char *label, int st)
{
    char exit_code[8] = "-", core[4] = "-";
    if (WIFEXITED(st))
        snprintf(exit_code, sizeof exit_code, "%d", WEXITSTATUS(st));
    if (WIFSIGNALED(st))   /* the core bit means something only for a signal death */
        snprintf(core, sizeof core, "%d", !!WCOREDUMP(st));
    /* BusyBox's wait4pid() convention: exit code, or 0x180 + signal number */
    int bb = WIFEXITED(st) ? WEXITSTATUS(st)
           : WIFSIGNALED(st) ? 0x180 + WTERMSIG(st) : 0;
    printf("%-16s status=0x%04x exit=%s signal=%s core=%s stop=%s wait4pid=0x%03x\n",
           label, st, exit_code,
           WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "-", core,
           WIFSTOPPED(st) ? sigabbrev_np(WSTOPSIG(st)) : "-", bb);
}
// --8<-- [end:decode]

/* Child ends with _exit(code) or, if sig != 0, by raising sig inside dir. */
static int run(int code, int sig, int core_ok, const char *dir)
{
    int st = 0;
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = { 0, 0 };
        getrlimit(RLIMIT_CORE, &rl);
        rl.rlim_cur = core_ok ? rl.rlim_max : 0;   /* hard limit is unlimited here */
        setrlimit(RLIMIT_CORE, &rl);
        if (sig && chdir(dir) == 0) {
            sigset_t set;                   /* undo an inherited block or ignore */
            sigemptyset(&set);
            sigaddset(&set, sig);
            sigprocmask(SIG_UNBLOCK, &set, NULL);
            signal(sig, SIG_DFL);
            raise(sig);
        }
        _exit(code);
    }
    waitpid(pid, &st, 0);
    return st;
}

/* Delete whatever the child dumped into dir ("core" or "core.PID"); count it. */
static void clean(const char *dir)
{
    char path[300];
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        n += e->d_name[0] != '.' && unlink(path) == 0;
    }
    if (d)
        closedir(d);
    printf("%-16s core files left in the folder: %d\n", "", n);
}

/* Say so if this machine cannot leave a core file in the current directory. */
static void core_notes(void)
{
    struct rlimit rl;
    char pat[8] = "";
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    if (f && fgets(pat, sizeof pat, f) && pat[0] == '|')
        printf("note: core_pattern pipes cores to a helper, none in the dir\n");
    if (f)
        fclose(f);
    if (getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
        printf("note: RLIMIT_CORE hard limit is %llu\n",
               (unsigned long long)rl.rlim_max);
}

int main(void)
{
    char dir[256];
    const char *tmp = getenv("TMPDIR");
    int pfd[2], st = 0;
    signal(SIGCHLD, SIG_DFL);   /* an inherited SIG_IGN would auto-reap children */
    snprintf(dir, sizeof dir, "%s/wait_status.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir) || pipe(pfd) != 0)
        return 1;
    core_notes();
    show("_exit(3)", run(3, 0, 0, NULL));
    show("_exit(256)", run(256, 0, 0, NULL));
    show("SIGKILL", run(0, SIGKILL, 0, dir));
    show("SIGQUIT, core", run(0, SIGQUIT, 1, dir));
    clean(dir);
    show("SIGQUIT, no core", run(0, SIGQUIT, 0, dir));
    clean(dir);
    rmdir(dir);

    pid_t pid = fork();
    if (pid == 0) {                  /* sits in read() until it is killed */
        char c;
        close(pfd[1]);
        _exit(read(pfd[0], &c, 1) == 1 ? 0 : 5);
    }
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);    /* reports the stop; the child still exists */
    show("SIGSTOP", st);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    show("then SIGKILL", st);
    return 0;
}
