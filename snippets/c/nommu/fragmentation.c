/* Out of memory with memory free, on a no-MMU kernel: every allocation must be one run
 * of physical memory (there is no page table to join scattered pages), so freeing
 * every other block leaves plenty free in total and no room for a block four times the
 * size. */
#include "nommu.h"

#define BLOCK (256 * 1024)
#define MAX_BLOCKS 1024

struct sysinfo {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned int mem_unit;
    char reserved[256];
};

static long blocks[MAX_BLOCKS + 1];

// --8<-- [start:point]
int main(int argc, char **argv, char **envp)
{
    struct sysinfo info;
    long n = 0, i, added, free_kib, big, small, refused;
    (void)argc, (void)argv, (void)envp;

    do { /* until a round, 50 ms after the last, gets no block at all */
        added = 0;
        while (n < MAX_BLOCKS && (blocks[n] = sys_mmap(BLOCK)) > 0)
            n++, added++;
        refused = blocks[n];
        /* not idle with memory full: the kernel's next small allocation would
         * call the OOM killer, which kills this program (seen once in CI); the
         * block comes back as the next round's first */
        if (n > 0)
            sys_munmap(blocks[--n], BLOCK), added--;
        sleep_ms(50);
    } while (added > 0 && n < MAX_BLOCKS);
    if ((blocks[n] = sys_mmap(BLOCK)) > 0) /* full again, as the round left it */
        n++;
    report_result("the next 256 KiB block, once memory is full", refused);
    for (i = 0; i < n; i += 2)
        sys_munmap(blocks[i], BLOCK);
    syscall1(NR_sysinfo, &info);
    free_kib = (long)(info.freeram * info.mem_unit / 1024);
    report("after freeing every other block, over 4 MiB is free in all",
           free_kib > 4 * 1024 ? "yes" : "no");
    big = sys_mmap(4 * BLOCK);
    report_result("a 1 MiB block", big < 0 ? big : 0);
    small = sys_mmap(BLOCK);
    report_result("a 256 KiB block", small < 0 ? small : 0);
    return 0;
}
// --8<-- [end:point]
