// The docker call `devenv status` made last time, started again before the Swift runtime
// initialises (issue 14). prestart.c says why and the rules; PrestartedCalls.swift adopts or
// ends what it started, and PrestartRecord.swift writes the record it reads.
#ifndef DEVENV_PRESTART_H
#define DEVENV_PRESTART_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

/// One call started from the record: its child, the read ends of its stdout and stderr pipes,
/// when it was spawned (CLOCK_MONOTONIC seconds), and exactly what was spawned: the program's
/// path, its argv and its environment entries (NAME=value), each NULL-terminated.
struct devenv_prestarted_call {
    pid_t pid;
    int stdout_fd;
    int stderr_fd;
    double started;
    const char *executable;
    char *const *argv;
    char *const *envp;
};

/// Reads the record for this process's argv, working folder and environment and starts its
/// calls (the constructor calls it with the process's own; tests with theirs). Returns how many
/// were started (0: no record, one that does not match, or anything wrong). A second call
/// starts nothing while the first one's calls are not forgotten. The calls' environments point
/// into `envp`'s strings (no copy before docker starts): they must live until the calls are
/// taken (the process's own environment lives as long as the process).
int devenv_prestart(int argc, char *const *argv, char *const *envp, const char *cwd);

/// How many calls were started; the one at `index` (0 ..< count).
int devenv_prestarted_count(void);
const struct devenv_prestarted_call *devenv_prestarted_call(int index);

/// The signal mask the process had before the calls were started (the interrupting signals
/// are blocked from the first spawn until Swift has tracked the children and installed its
/// handlers); NULL when nothing was started (the mask was not touched).
const sigset_t *devenv_prestart_saved_mask(void);

/// Forgets the started calls (their owner is Swift now), so that `devenv_prestart` may run again (tests).
void devenv_prestart_forget(void);

/// FNV-1a (64 bits) of the environment entries in order, each with its NUL: a record holds it,
/// never the environment itself (it may hold secrets).
uint64_t devenv_prestart_environment_hash(char *const *envp);

/// The record's file name (in devenv's state folder) for `argv` run in `cwd`: 16 hex digits of
/// FNV-1a (64 bits) over the arguments and the folder, each with its NUL, then ".prestart".
/// `name` must hold 26 bytes.
void devenv_prestart_record_name(int argc, char *const *argv, const char *cwd, char *name);

/// The record's first word (`PrestartRecord` writes it, `devenv_prestart` requires it).
const char *devenv_prestart_header(void);

#endif
