/* fd_share.c - what a child shares of its parent's open files.
 * Usage: fd_share offset|close
 *   offset  after fork, the child writes 15 bytes through an inherited fd;
 *           the parent's offset on that fd moves too (one open file description)
 *   close   after vfork, the child closes fd 0; the parent's fd 0 stays open
 *           (the fd table was copied, unlike memory) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char path[] = "/tmp/fd_share.XXXXXX";
    int use_offset = argc == 2 && strcmp(argv[1], "offset") == 0;

    if (argc != 2 || (!use_offset && strcmp(argv[1], "close"))) {
        fprintf(stderr, "usage: %s offset|close\n", argv[0]);
        return 2;
    }
    if (use_offset) {
        int fd = mkstemp(path);
        if (fd < 0)
            return 1;
        unlink(path);
        pid_t pid = fork();
        if (pid == 0)
            _exit(write(fd, "child was here\n", 15) == 15 ? 0 : 1);
        waitpid(pid, NULL, 0);
        printf("parent's offset after the child wrote 15 bytes: %ld\n",
               (long)lseek(fd, 0, SEEK_CUR));
        return 0;
    }
    pid_t pid = vfork();
    if (pid == 0) {
        close(0);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent's fd 0 after the vfork child closed its own: %s\n",
           fcntl(0, F_GETFD) == -1 ? "closed" : "open");
    return 0;
}
