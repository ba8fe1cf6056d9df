#ifndef QARI_CESPEAKNG_SHIM_H
#define QARI_CESPEAKNG_SHIM_H
#include <stdio.h>
#include <espeak-ng/speak_lib.h>
#include <espeak-ng/espeak_ng.h>
#include <malloc.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/// Forks a child of this worker that is killed when the worker dies (prctl is variadic, so not callable from Swift).
/// Returns the child's pid in the worker, 0 in the child, -1 on failure.
static inline pid_t qari_fork_engine_child(void) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
    }
    return pid;
}

/// Caps glibc's malloc arenas (mallopt's M_ARENA_MAX is a macro Swift does not import).
static inline void qari_limit_malloc_arenas(int arenas) {
    mallopt(M_ARENA_MAX, arenas);
}
#endif
