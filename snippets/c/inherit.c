/* inherit.c - what a child keeps across fork and exec: a shared file offset,
   descriptors unless close-on-exec, ignored signals and the mask but not handlers,
   and the working directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int signo) { (void)signo; }

static void run_sh(const char *script, const char *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", script, "sh", arg, (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    char dir[256], path[300];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/inherit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/log", dir);

// --8<-- [start:point]
    /* one open file description: the child's write moves the parent's offset too */
    int log = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = fork();
    if (pid == 0) {
        (void)!write(log, "child\n", 6);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("after the child wrote 6 bytes, the parent's offset is %ld\n",
           (long)lseek(log, 0, SEEK_CUR));

    /* close-on-exec: fd 3 stays open across exec, the O_CLOEXEC one does not */
    int secret = open(path, O_RDONLY | O_CLOEXEC);
    char fds[64];
    snprintf(fds, sizeof fds, "%d %d", log, secret);
    fflush(stdout);
    run_sh("for fd in $1; do [ -e /proc/self/fd/$fd ] && s=open || s=closed;"
           " echo \"after exec, fd $fd is $s\"; done", fds);

    /* signals: a handler goes back to default at exec, an ignored signal and the
       mask stay */
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    fflush(stdout);
    run_sh("s=/proc/self/status; caught=$(grep SigCgt $s | cut -f2);"
           " ignored=$(grep SigIgn $s | cut -f2); blocked=$(grep SigBlk $s | cut -f2);"
           " has() { [ $(( 0x$1 >> ($2 - 1) & 1 )) = 1 ] && echo yes || echo no; };"
           " echo \"after exec: SIGUSR1 handled $(has $caught 10),"
           " SIGUSR2 ignored $(has $ignored 12), SIGTERM blocked $(has $blocked 15)\"",
           "");
// --8<-- [end:point]

    /* the working directory */
    if (chdir(dir) == 0) {
        fflush(stdout);
        run_sh("[ \"$(pwd)\" = \"$1\" ] && echo 'after exec, the working directory is"
               " the one the parent chose'", dir);
    }
    close(log);
    close(secret);
    unlink(path);
    rmdir(dir);
    return 0;
}
