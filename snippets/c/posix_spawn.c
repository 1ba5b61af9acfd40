/* posix_spawn.c - glibc posix_spawn(): exec errors come back as the result. */
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

static void try(const char *label, const char *path)
{
    char *argv[] = { (char *)path, NULL };
    pid_t pid = -1;                          /* to see whether it gets written */
    int st, rc = posix_spawn(&pid, path, NULL, NULL, argv, environ);
    printf("%-16s rc=%s, pid %s", label, rc ? strerrorname_np(rc) : "0",
           pid == -1 ? "untouched" : "set");
    if (rc == 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
        printf(", status: exited %d", WEXITSTATUS(st));
    pid_t z = waitpid(-1, &st, WNOHANG);
    printf(", zombie left: %s\n", z < 0 && errno == ECHILD ? "no" : "yes");
}

int main(void)
{
    char dir[256], file[300];
    const char *tmp = getenv("TMPDIR");
    signal(SIGCHLD, SIG_DFL);   /* an inherited SIG_IGN would auto-reap children */
    snprintf(dir, sizeof dir, "%s/posix_spawn.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(file, sizeof file, "%s/script", dir);
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);   /* no x bit at all */
    if (fd < 0 || write(fd, "#!/bin/sh\nexit 0\n", 17) != 17)
        return 1;
    close(fd);
    try("/bin/true", "/bin/true");
    try("missing", "/no/such/program");
    try("mode 0644 file", file);
    try("directory", dir);
    unlink(file);
    rmdir(dir);
    return 0;
}
