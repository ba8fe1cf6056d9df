// glibc's process-starting calls that Swift's Glibc module leaves out (they need _GNU_SOURCE): a child closes every
// descriptor but its own, and pipes are close-on-exec from the moment they exist (glibc 2.34 or later).
#include <spawn.h>
#include <fcntl.h>

int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
int pipe2(int fds[2], int flags);
