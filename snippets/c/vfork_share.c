/* vfork_share.c - does the child write into the parent's memory?
 * Usage: vfork_share fork|vfork
 * The child bumps a global and a local of main, then calls _exit(0).
 * The parent prints both values once the child is gone. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int glob = 6;                   /* lives in the data segment */

int main(int argc, char *argv[])
{
    int var = 88;               /* lives on main's stack (or in a register) */
    int use_vfork;
    pid_t pid;

    if (argc != 2 || (strcmp(argv[1], "fork") && strcmp(argv[1], "vfork"))) {
        fprintf(stderr, "usage: %s fork|vfork\n", argv[0]);
        return 2;
    }
    use_vfork = strcmp(argv[1], "vfork") == 0;

    printf("before %s: glob = %d, var = %d\n", argv[1], glob, var);
    fflush(stdout);             /* the child must not inherit pending output */

    pid = use_vfork ? vfork() : fork();
    if (pid < 0) {
        perror(argv[1]);
        return 1;
    }
    if (pid == 0) {             /* child: change both, then leave at once */
        glob++;
        var++;
        _exit(0);
    }
    /* parent: with vfork the child has already ended when we get here */
    if (waitpid(pid, NULL, 0) < 0)
        perror("waitpid");
    printf("after %s: glob = %d, var = %d\n", argv[1], glob, var);
    return 0;
}
