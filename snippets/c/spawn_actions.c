/* spawn_actions.c - posix_spawn's file actions and attributes: a redirection, a
   working directory and a new session set up in the child, and errors returned as the
   result. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *name(int err)
{
    switch (err) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    default: return "other";
    }
}

static int finish(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

int main(void)
{
    char dir[256], out[300], text[256] = "";
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/spawn.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(out, sizeof out, "%s/out", dir);

// --8<-- [start:point]
    /* sh -c '...' with stdout opened on a file, in another directory, new session */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
    char *sh[] = { "sh", "-c", "test \"$(pwd)\" = \"$0\" && echo cwd ok;"
                   " set -- $(cat /proc/$$/stat);"  /* field 6: the session id */
                   " test \"$6\" -eq $$ && echo new session || echo same session",
                   dir, NULL };
    pid_t pid;
    int rc = posix_spawnp(&pid, "sh", &fa, &at, sh, environ);
    int status = rc ? -1 : finish(pid);
    FILE *f = fopen(out, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = 0;
    if (f)
        fclose(f);
    printf("redirected: rc=%s, exit %d, the file holds: %s", name(rc), status, text);

    /* a dup2 from a descriptor that is not open: the child fails before exec */
    posix_spawn_file_actions_t bad;
    posix_spawn_file_actions_init(&bad);
    posix_spawn_file_actions_adddup2(&bad, 7, 1);
    char *tr[] = { "true", NULL };
    pid = -1;
    rc = posix_spawnp(&pid, "true", &bad, NULL, tr, environ);
    printf("dup2 from fd 7: rc=%s, pid %s\n", name(rc),
           pid == -1 ? "untouched" : "set");

    /* the PATH search of posix_spawnp, and posix_spawn without one */
    rc = posix_spawnp(&pid, "true", NULL, NULL, tr, environ);
    printf("spawnp true: rc=%s, exit %d\n", name(rc), rc ? -1 : finish(pid));
    rc = posix_spawn(&pid, "true", NULL, NULL, tr, environ);
    printf("spawn true (no PATH search): rc=%s\n", name(rc));
// --8<-- [end:point]

    unlink(out);
    rmdir(dir);
    return 0;
}
