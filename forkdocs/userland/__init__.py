"""What runs in user space, on the [`Machine`][forkdocs.machine.Machine]: the C library and the
programs the guide's pages talk about.

- [`libc`][forkdocs.userland.libc]: exit(), printf(), atexit(): stdio buffers and handlers;
- [`callstack`][forkdocs.userland.callstack]: calls and returns through stack memory;
- [`heap`][forkdocs.userland.heap]: a malloc heap and what two processes sharing it do to it;
- [`setjmp`][forkdocs.userland.setjmp]: vfork built from setjmp and longjmp;
- [`threads`][forkdocs.userland.threads]: threads, mutexes and pthread_atfork;
- [`childprog`][forkdocs.userland.childprog]: what a vforked child does before exec, as data;
- [`launch`][forkdocs.userland.launch]: start a child and hear whether its exec failed (spawn's
  and posix_spawn's shared pattern);
- [`libbb`][forkdocs.userland.libbb]: BusyBox's spawn helpers and daemons;
- [`posix`][forkdocs.userland.posix]: posix_spawn and its file actions and attributes.

Nothing below imports it: the kernel and the machine never call the C library.
"""
