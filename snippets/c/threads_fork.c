/* threads_fork.c - fork copies only the calling thread: a mutex another thread held
   stays locked in the child, unless pthread_atfork handlers take and release it around
   fork; vfork suspends only the calling thread. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int holding[2], release[2];
static volatile int ticks;

static void *holder(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    (void)!write(holding[1], "x", 1);
    char c;
    (void)!read(release[0], &c, 1);      /* keep it until main says so */
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *ticker(void *arg)
{
    (void)arg;
    for (;;)
        ticks++;
    return NULL;
}

static void prepare(void) { pthread_mutex_lock(&lock); }
static void parent(void) { pthread_mutex_unlock(&lock); }
static void child(void) { pthread_mutex_init(&lock, NULL); }

static const char *fork_and_try(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(pthread_mutex_trylock(&lock) == EBUSY ? 1 : 0);
    int st;
    waitpid(pid, &st, 0);
    return WEXITSTATUS(st) ? "still locked (EBUSY)" : "free";
}

// --8<-- [start:point]
int main(void)
{
    pthread_t t;
    char c;
    if (pipe(holding) || pipe(release))
        return 1;
    pthread_create(&t, NULL, holder, NULL);
    (void)!read(holding[0], &c, 1);      /* the other thread now holds the mutex */
    printf("fork while another thread holds the mutex: in the child it is %s\n",
           fork_and_try());
    (void)!write(release[1], "x", 1);
    pthread_join(t, NULL);

    pthread_atfork(prepare, parent, child);
    pthread_create(&t, NULL, holder, NULL);
    (void)!read(holding[0], &c, 1);
    (void)!write(release[1], "x", 1);    /* prepare() waits until the thread lets go */
    printf("with pthread_atfork handlers: in the child it is %s\n", fork_and_try());
    pthread_join(t, NULL);

    pthread_create(&t, NULL, ticker, NULL);
    while (ticks == 0)
        ;
    pid_t pid = vfork();
    if (pid == 0) {                      /* the parent's main thread is suspended... */
        int seen = ticks, moved = 0;
        for (int i = 0; i < 100000000 && !moved; i++)
            moved = ticks != seen;       /* ...but its other thread keeps counting */
        _exit(moved ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("during vfork, the parent's other thread kept running: %s\n",
           WEXITSTATUS(st) == 0 ? "yes" : "no");
    return 0;
}
// --8<-- [end:point]
