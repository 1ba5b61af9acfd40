/* A freestanding runtime for the no-MMU test programs: raw system calls, a start file and
 * a few printing helpers, with no C library (Debian ships none for no-MMU targets).
 *
 * Every call is inlined, so a vforked child that calls one pushes nothing on the stack it
 * shares with its parent.  The start code runs the program as pid 2 under a tiny init of
 * its own (pid 1 may not exit, and an orphan needs someone to adopt it): init vforks,
 * execs this same file, reaps every child and prints an end line
 * with the program's wait status, then powers the machine off.
 *
 * Built with -ffreestanding -fno-pic -nostdlib and converted to bFLT with no relocations,
 * so the code must be position-independent by construction: no pointer may be stored in
 * initialised data (the linker would record an absolute address), and that includes a
 * local array of strings initialised where it is declared (gcc copies it from a template
 * in read-only data): fill such an array in statements.  The conversion refuses a program
 * that breaks this rule, naming the relocation. */
#ifndef FORKDOCS_NOMMU_H
#define FORKDOCS_NOMMU_H

typedef unsigned long size_t;
typedef long ssize_t;

#define ENOENT 2
#define ECHILD 10
#define ENOEXEC 8
#define EACCES 13
#define ENOMEM 12
#define EINVAL 22
#define ENOSYS 38

#define SIGCHLD 17
#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define WNOHANG 1

#if defined(__riscv) && __riscv_xlen == 64
#define NR_write 64
#define NR_exit 93
#define NR_exit_group 94
#define NR_nanosleep 101
#define NR_clock_gettime 113
#define NR_reboot 142
#define NR_setsid 157
#define NR_getpid 172
#define NR_getppid 173
#define NR_sysinfo 179
#define NR_munmap 215
#define NR_clone 220
#define NR_execve 221
#define NR_mmap 222
#define NR_wait4 260
/* RISC-V has no fork system call: the number the generic table once gave it. */
#define NR_fork 1079

static inline __attribute__((always_inline)) long
syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    __asm__ volatile("ecall"
             : "+r"(a0)
             : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
             : "memory");
    return a0;
}

/* The kernel leaves argc, argv[] and envp[] at the stack pointer. */
__asm__(".section .text._start,\"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "  mv a0, sp\n"
    "  call forkdocs_start\n"
    "1: j 1b\n"
    ".text\n");
#elif defined(__m68k__) && !defined(__mcfmmu__)
/* m68k ColdFire without an MMU (arch/m68k/kernel/syscalls/syscall.tbl). */
#define NR_exit 1
#define NR_fork 2
#define NR_write 4
#define NR_execve 11
#define NR_getpid 20
#define NR_getppid 64
#define NR_setsid 66
#define NR_reboot 88
#define NR_munmap 91
#define NR_wait4 114
#define NR_sysinfo 116
#define NR_clone 120
#define NR_nanosleep 162 /* 32-bit time_t, as struct timespec below */
#define NR_vfork 190
#define NR_mmap 192 /* mmap2: six arguments in registers (90 is old_mmap, one struct) */
#define NR_exit_group 247
#define NR_clock_gettime 260 /* 32-bit time_t */

/* trap #0: number in d0, arguments in d1-d5 and a0, result in d0. */
static inline __attribute__((always_inline)) long
syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    register long d0 __asm__("d0") = n;
    register long d1 __asm__("d1") = a;
    register long d2 __asm__("d2") = b;
    register long d3 __asm__("d3") = c;
    register long d4 __asm__("d4") = d;
    register long d5 __asm__("d5") = e;
    register long a0 __asm__("a0") = f;
    __asm__ volatile("trap #0"
             : "+d"(d0)
             : "d"(d1), "d"(d2), "d"(d3), "d"(d4), "d"(d5), "a"(a0)
             : "memory");
    return d0;
}

/* The kernel leaves argc at the stack pointer, then (BINFMT_FLAT_ARGVP_ENVP_ON_STACK)
 * pointers to argv[] and envp[], then the arrays.  The call is PC-relative. */
__asm__(".section .text._start,\"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "  move.l %sp, %a0\n"
    "  move.l %a0, -(%sp)\n"
    "  jbsr forkdocs_start\n"
    "1: bra.s 1b\n"
    ".text\n");
#define FORKDOCS_ARGVP_ON_STACK 1
#else
#error "nommu.h: no system-call convention for this architecture"
#endif

#define syscall0(n) syscall6((n), 0, 0, 0, 0, 0, 0)
#define syscall1(n, a) syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define syscall2(n, a, b) syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define syscall3(n, a, b, c) syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d) \
    syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* A system call returns -errno on failure, as the raw kernel interface does. */
#define sys_write(fd, buf, len) syscall3(NR_write, (fd), (buf), (len))
#define sys_exit(status) syscall1(NR_exit_group, (status))
#define sys_getpid() syscall0(NR_getpid)
#define sys_getppid() syscall0(NR_getppid)
#define sys_setsid() syscall0(NR_setsid)
#define sys_execve(path, argv, envp) syscall3(NR_execve, (path), (argv), (envp))
#define sys_wait4(pid, status, options) syscall4(NR_wait4, (pid), (status), (options), 0)
#define sys_clone(flags) syscall6(NR_clone, (flags), 0, 0, 0, 0, 0)
#define sys_vfork() sys_clone(CLONE_VM | CLONE_VFORK | SIGCHLD)
#define sys_fork() syscall0(NR_fork)
#define sys_mmap(len) syscall6(NR_mmap, 0, (len), 3 /* read, write */, 0x22 /* private, anonymous */, -1, 0)
#define sys_munmap(addr, len) syscall2(NR_munmap, (addr), (len))

/* gcc may call these even in freestanding code, to copy or clear a local array. */
__attribute__((used)) void *memcpy(void *to, const void *from, size_t n)
{
    char *d = to;
    const char *s = from;
    while (n--)
        *d++ = *s++;
    return to;
}

__attribute__((used)) void *memset(void *to, int c, size_t n)
{
    char *d = to;
    while (n--)
        *d++ = (char)c;
    return to;
}

struct timespec {
    long tv_sec;
    long tv_nsec;
};

/* Milliseconds on the monotonic clock. */
static inline __attribute__((always_inline)) long now_ms(void)
{
    struct timespec t;
    syscall2(NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static inline __attribute__((always_inline)) void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    syscall2(NR_nanosleep, &t, 0);
}

static __attribute__((unused)) size_t length(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static __attribute__((unused)) int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void say(const char *s)
{
    sys_write(1, s, length(s));
}

/* The number written in hexadecimal in ``s`` ("0x" optional). */
static __attribute__((unused)) unsigned long parse_hex(const char *s)
{
    unsigned long v = 0;
    if (s[0] == '0' && s[1] == 'x')
        s += 2;
    for (; *s; s++)
        v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    return v;
}

/* ``value`` in hexadecimal into ``out`` (at least 19 bytes). */
static __attribute__((unused)) char *format_hex(unsigned long value, char *out)
{
    int i, n = 0;
    unsigned long v = value;
    do
        n++;
    while (v >>= 4);
    out[0] = '0', out[1] = 'x', out[n + 2] = 0;
    for (i = n + 1; i >= 2; i--, value >>= 4)
        out[i] = "0123456789abcdef"[value & 15];
    return out;
}

/* The name of the errno in a negative return value.  (Written as tests, not a switch: gcc
 * turns a switch into a table of string pointers, which would need relocating.) */
static const char *errno_name(long ret)
{
    long e = -ret;
    if (e == ENOENT) return "ENOENT";
    if (e == ENOEXEC) return "ENOEXEC";
    if (e == ENOMEM) return "ENOMEM";
    if (e == EACCES) return "EACCES";
    if (e == ECHILD) return "ECHILD";
    if (e == EINVAL) return "EINVAL";
    if (e == ENOSYS) return "ENOSYS";
    return "another error";
}

static void say_number(long value, int base)
{
    char digits[24];
    int i = sizeof digits;
    unsigned long v = value < 0 ? -value : value;
    digits[--i] = 0;
    do {
        digits[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (base == 16) {
        digits[--i] = 'x';
        digits[--i] = '0';
    }
    if (value < 0)
        digits[--i] = '-';
    say(digits + i);
}

/* One machine-readable line: "key: text". */
static void report(const char *key, const char *text)
{
    say(key);
    say(": ");
    say(text);
    say("\n");
}

static void report_number(const char *key, long value, int base)
{
    say(key);
    say(": ");
    say_number(value, base);
    say("\n");
}

/* A system call's result: its value, or -1 and the errno's name. */
static void report_result(const char *key, long ret)
{
    say(key);
    say(": ");
    if (ret < 0 && ret > -4096) {
        say("-1 ");
        say(errno_name(ret));
    } else {
        say_number(ret, 10);
    }
    say("\n");
}

int main(int argc, char **argv, char **envp);

/* pid 1: run this same file again as pid 2, reap everything, report and power off. */
static void init(char **argv, char **envp)
{
    char *run[2];
    int status = 0, main_status = -1;
    long pid, child;
    run[0] = argv[0], run[1] = 0;
    say("forkdocs-nommu: begin\n");
    child = sys_vfork();
    if (child == 0) {
        sys_execve(argv[0], run, envp);
        sys_exit(127);
    }
    while ((pid = sys_wait4(-1, &status, 0)) > 0)
        if (pid == child)
            main_status = status;
    say("forkdocs-nommu: end ");
    say_number(main_status, 16);
    say("\n");
    syscall4(NR_reboot, 0xfee1dead, 672274793, 0x4321fedc /* power off */, 0);
}

void forkdocs_start(long *sp)
{
    int argc = (int)sp[0];
#ifdef FORKDOCS_ARGVP_ON_STACK
    char **argv = (char **)sp[1];
    char **envp = (char **)sp[2];
#else
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
#endif
    if (sys_getpid() == 1)
        init(argv, envp);
    else
        sys_exit(main(argc, argv, envp));
}

#endif
