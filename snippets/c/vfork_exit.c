/* vfork_exit.c - what the child's exit() does to the parent's stdio and
 * exit handlers.  Usage: vfork_exit vfork|fork exit|_exit
 * Report lines are sent with write(2) on fd 1, so they reach the pipe at the
 * moment they are made.  Text sent with printf reaches it only when the stdio
 * buffer is flushed.  Where printf text lands among report lines is part of
 * what the program shows. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t parent_pid;

static const char *role(void)
{
    return getpid() == parent_pid ? "parent" : "child";
}

static void say(const char *fmt, ...)           /* unbuffered report line */
{
    char line[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 1)
        n = sizeof line - 1;
    if (n > 0 && write(1, line, (size_t)n) < 0)
        _exit(3);
}

static void first_handler(void) { say("first atexit handler ran in %s\n", role()); }
static void second_handler(void) { say("second atexit handler ran in %s\n", role()); }
__attribute__((destructor)) static void dtor(void)
{
    say("destructor ran in %s\n", role());
}

int main(int argc, char *argv[])
{
    char *child_argv[] = { "prog", NULL };
    int use_vfork, use_exit, status, r;
    pid_t pid;

    if (argc != 3 || (strcmp(argv[1], "vfork") && strcmp(argv[1], "fork"))
        || (strcmp(argv[2], "exit") && strcmp(argv[2], "_exit"))) {
        fprintf(stderr, "usage: %s vfork|fork exit|_exit\n", argv[0]);
        return 2;
    }
    use_vfork = strcmp(argv[1], "vfork") == 0;
    use_exit = strcmp(argv[2], "exit") == 0;
// --8<-- [start:point]
    parent_pid = getpid();
    if (atexit(first_handler) != 0)
        say("first atexit failed\n");
    printf("before\n");         /* stdout is a pipe: this stays in the buffer */

    pid = use_vfork ? vfork() : fork();
    if (pid == 0) {
        execve("/nonexistent/prog", child_argv, environ);
        say("child: execve failed with %s\n", strerrorname_np(errno));
        if (use_exit)
            exit(127);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        perror("vfork/fork or waitpid");
        return 1;
    }
    say("parent: child exited %d\n", WEXITSTATUS(status));
    r = printf("after\n");      /* lands before the next line only if unbuffered */
    say("parent: printf returned %d\n", r);
    say("parent: stdout buffer size %zu\n", __fbufsize(stdout));
    say("parent: second atexit returned %d\n", atexit(second_handler));
    say("parent: returning from main\n");
// --8<-- [end:point]
    return 0;
}
