/* subreaper.c - an orphan is adopted by its nearest subreaper, which must reap it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t me = getpid();
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int report[2], hold[2];
    if (pipe(report) || pipe(hold))
        return 1;
    pid_t middle = fork();
    if (middle == 0) {                   /* the middle one: a grandchild, then exit */
        pid_t grandchild = fork();
        if (grandchild == 0) {
            close(hold[1]);
            char c;
            (void)!read(hold[0], &c, 1); /* returns when the subreaper closes its end */
            _exit(getppid() == me ? 7 : 3);
        }
        (void)!write(report[1], &grandchild, sizeof grandchild);
        _exit(0);
    }
    pid_t grandchild;
    (void)!read(report[0], &grandchild, sizeof grandchild);
    waitpid(middle, NULL, 0);            /* the middle process is gone */
    close(hold[1]);                      /* let the grandchild look at its parent */
    int status;
    pid_t got = waitpid(grandchild, &status, 0);
    int code = got == grandchild && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    printf("orphan's new parent is the subreaper: %s\n", code == 7 ? "yes" : "no");
    printf("the subreaper reaped it with waitpid: %s\n",
           got == grandchild ? "yes" : "no");
    return 0;
}
