// Starts `devenv status`'s docker call before the Swift runtime initialises (issue 14).
//
// Why: `status` is one `docker ps`, and devenv's own cost is what it adds to that call's wall
// time. The call was already started before the configuration is read (LookupSpeculation), but
// everything before that start still came first: the Swift runtime's start-up (its metadata
// caches, /proc/self/maps), the environment dictionary, the argument parse, reading the lookup
// record, building the child's environment: some 0.6 M instructions and 1 ms on this machine,
// every one of them before docker could begin. Here, in a constructor that runs once the
// dynamic loader is done and before any Swift code, the very calls the last `status` with the
// same arguments, folder and environment started are started again from a record it wrote, and
// Swift decides later, as it always did, which call it needs.
//
// The rules:
// - Only what a record says, and a record is only written by devenv itself (PrestartRecord.swift),
//   only for the read-only calls LookupSpeculation starts for `status` (never `up`: its lookup
//   must come after the project lock). Whatever a record says, only `ps` and `volume ls` of the
//   program it names are ever started here (`is_listing`). It is found in devenv's private state folder (the rule of
//   UserStateFolder, XDG_STATE_HOME or HOME, taken only when already normal: no passwd lookup
//   here), which must be a folder of this user only they can write, as ProjectLock.directory
//   requires; the record a regular file of this user, readable by them alone, opened without
//   following a link.
// - The record is used only when its key is this process's: the whole argv, the working folder,
//   a hash of the whole environment (entries in order), and the identity (device, inode, size,
//   modification time) of each file it names (the lookup record the calls came from). Anything
//   else, or any doubt (a closed 0, 1 or 2, a set-user-ID start, a malformed record), starts
//   nothing.
// - Swift adopts a call only when it is exactly the call it would start now (program path,
//   argv, the environment entries as a set, no working folder, piped: PrestartedCalls.adopt);
//   every other one it ends and reaps unseen, before the command goes on (PrestartedCalls.endRest).
//   So a stale record costs a call started for nothing, never a wrong answer.
// - The child is spawned as ProcessSpawn spawns a piped call: stdin /dev/null, stdout and stderr
//   pipes, nothing else inherited (closefrom 3), default dispositions for the signals devenv
//   handles or ignores, an empty mask, a process group of its own. The interrupting signals stay
//   blocked in devenv from before the first spawn until Swift tracks the children for signal
//   forwarding and has its handlers (ChildProcesses.installInterruptionHandlers restores the mask
//   saved here): a Ctrl-C or SIGTERM meanwhile is then passed on to them, never lost, and no
//   child outlives devenv.
#define _GNU_SOURCE
#include "DevEnvPrestart.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char header[] = "devenv prestart 1";

const char *devenv_prestart_header(void) { return header; }

enum { maximum_record_bytes = 64 * 1024, maximum_calls = 4, maximum_watched = 8, maximum_words = 4096 };

static struct devenv_prestarted_call calls[maximum_calls];
static int call_count;
static sigset_t saved_mask;
static int mask_saved;
// The record's bytes: the calls' strings point into it (kept for Swift to compare with).
static char *record_bytes;
// The calls' argv and environment arrays (pointers into `record_bytes` and the environment).
static char **call_words;

static uint64_t fnv_bytes(uint64_t hash, const char *bytes, size_t count) {
    for (size_t i = 0; i < count; i++) {
        hash ^= (unsigned char)bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

static const uint64_t fnv_basis = 0xcbf29ce484222325ULL;

uint64_t devenv_prestart_environment_hash(char *const *envp) {
    uint64_t hash = fnv_basis;
    for (int i = 0; envp && envp[i]; i++) hash = fnv_bytes(hash, envp[i], strlen(envp[i]) + 1);
    return hash;
}

void devenv_prestart_record_name(int argc, char *const *argv, const char *cwd, char *name) {
    uint64_t hash = fnv_basis;
    for (int i = 0; i < argc; i++) hash = fnv_bytes(hash, argv[i], strlen(argv[i]) + 1);
    hash = fnv_bytes(hash, cwd, strlen(cwd) + 1);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) name[i] = digits[(hash >> (60 - 4 * i)) & 0xf];
    memcpy(name + 16, ".prestart", 10);
}

int devenv_prestarted_count(void) { return call_count; }

const struct devenv_prestarted_call *devenv_prestarted_call(int index) {
    return index >= 0 && index < call_count ? &calls[index] : NULL;
}

const sigset_t *devenv_prestart_saved_mask(void) { return mask_saved ? &saved_mask : NULL; }

void devenv_prestart_forget(void) {
    call_count = 0;
    mask_saved = 0;
    free(record_bytes);
    record_bytes = NULL;
    free(call_words);
    call_words = NULL;
}

// The last entry of NAME in `envp` (Swift's dictionary keeps the last of repeated names).
static const char *variable(char *const *envp, const char *name) {
    const char *found = NULL;
    size_t length = strlen(name);
    for (int i = 0; envp && envp[i]; i++) {
        if (strncmp(envp[i], name, length) == 0 && envp[i][length] == '=') found = envp[i] + length + 1;
    }
    return found;
}

// An absolute path that ConfigPath.normalize leaves as it is: no empty, "." or ".." component
// and no trailing slash. Any other one is not guessed at: no early start.
static int is_normal(const char *path) {
    if (path[0] != '/' || path[1] == '\0') return 0;
    for (const char *p = path; *p; p++) {
        if (*p != '/') continue;
        const char *next = p + 1;
        if (*next == '\0' || *next == '/') return 0;
        if (next[0] == '.' && (next[1] == '/' || next[1] == '\0')) return 0;
        if (next[0] == '.' && next[1] == '.' && (next[2] == '/' || next[2] == '\0')) return 0;
    }
    return 1;
}

// devenv's state folder as UserStateFolder.path finds it from the environment alone.
static int state_folder(char *const *envp, char *folder, size_t size) {
    const char *state = variable(envp, "XDG_STATE_HOME");
    const char *suffix = "/devenv";
    if (!state || state[0] != '/') {
        state = variable(envp, "HOME");
        suffix = "/.local/state/devenv";
        if (!state || state[0] != '/') return 0;
    }
    if (!is_normal(state) || strlen(state) + strlen(suffix) + 1 > size) return 0;
    strcpy(folder, state);
    strcat(folder, suffix);
    return 1;
}

// A cursor over the record's NUL-terminated words.
struct reader {
    char *next;
    char *end;
};

static char *word(struct reader *reader) {
    if (reader->next >= reader->end) return NULL;
    char *start = reader->next;
    char *nul = memchr(start, '\0', (size_t)(reader->end - start));
    if (!nul) return NULL;
    reader->next = nul + 1;
    return start;
}

static int number(struct reader *reader, long maximum, long *value) {
    char *text = word(reader), *end;
    if (!text || !*text) return 0;
    errno = 0;
    *value = strtol(text, &end, 10);
    return errno == 0 && *end == '\0' && *value >= 0 && *value <= maximum;
}

static int same_identity(const char *path, const char *identity) {
    struct stat info;
    if (stat(path, &info) != 0) return 0;
    char now[128];
    snprintf(now, sizeof now, "%llu %llu %lld %lld %ld", (unsigned long long)info.st_dev, (unsigned long long)info.st_ino,
             (long long)info.st_size, (long long)info.st_mtim.tv_sec, (long)info.st_mtim.tv_nsec);
    return strcmp(now, identity) == 0;
}

// The record's bytes when it is devenv's own, private one; NULL otherwise.
static char *read_record(const char *folder, const char *path, size_t *size) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return NULL;
    struct stat info, folder_info;
    char *bytes = NULL;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == geteuid() && (info.st_mode & 077) == 0
        && info.st_size > 0 && info.st_size <= maximum_record_bytes
        && lstat(folder, &folder_info) == 0 && S_ISDIR(folder_info.st_mode) && folder_info.st_uid == geteuid()
        && (folder_info.st_mode & 022) == 0) {
        bytes = malloc((size_t)info.st_size);
        ssize_t got = bytes ? read(fd, bytes, (size_t)info.st_size) : -1;
        if (got != info.st_size) {
            free(bytes);
            bytes = NULL;
        } else {
            *size = (size_t)got;
        }
    }
    close(fd);
    return bytes;
}

static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

// Only ever a listing, whatever a record says: `docker ps` or `docker volume ls` (the two
// calls LookupSpeculation starts for `status`), read-only questions of the engine.
static int is_listing(char *const *argv) {
    if (!argv[0] || !argv[1]) return 0;
    if (strcmp(argv[1], "ps") == 0) return 1;
    return strcmp(argv[1], "volume") == 0 && argv[2] && strcmp(argv[2], "ls") == 0;
}

// One call as ProcessSpawn.spawn starts a piped one (`ownProcessGroup`).
static int spawn_call(struct devenv_prestarted_call *call, int null_fd) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return 0;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return 0;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, null_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    int defaulted[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD};
    for (size_t i = 0; i < sizeof defaulted / sizeof defaulted[0]; i++) sigaddset(&defaults, defaulted[i]);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    sigemptyset(&empty);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    pid_t pid;
    int status = posix_spawn(&pid, call->executable, &actions, &attributes, call->argv, call->envp);
    double started = monotonic_seconds();
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(out[1]);
    close(err[1]);
    if (status != 0) {
        close(out[0]);
        close(err[0]);
        return 0;
    }
    call->pid = pid;
    call->stdout_fd = out[0];
    call->stderr_fd = err[0];
    call->started = started;
    return 1;
}

// The environment entries a call gets: the process's own, but those its additions name, then
// the additions (PosixProcessRunner's `childEnvironment`: the invocation's entries win).
static int call_environment(char *const *envp, char **additions, long added, char **into, long room) {
    long count = 0;
    for (int i = 0; envp[i]; i++) {
        const char *equals = strchr(envp[i], '=');
        size_t length = equals ? (size_t)(equals - envp[i]) : strlen(envp[i]);
        int replaced = 0;
        for (long j = 0; j < added && !replaced; j++) {
            replaced = strncmp(additions[j], envp[i], length) == 0 && additions[j][length] == '=';
        }
        if (replaced) continue;
        if (count >= room) return -1;
        into[count++] = envp[i];
    }
    for (long j = 0; j < added; j++) {
        if (count >= room) return -1;
        into[count++] = additions[j];
    }
    if (count >= room) return -1;
    into[count++] = NULL;
    return (int)count;
}

int devenv_prestart(int argc, char *const *argv, char *const *envp, const char *cwd) {
    if (call_count > 0 || argc < 1 || !envp || !cwd || getauxval(AT_SECURE)) return 0;
    // A closed standard stream would be taken by a pipe here, and devenv's output would go to
    // docker's pipe: StandardStreams.reserve must find them as devenv was started.
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) < 0) return 0;
    }
    char folder[4096], path[4096 + 32], name[26];
    if (!state_folder(envp, folder, sizeof folder)) return 0;
    devenv_prestart_record_name(argc, argv, cwd, name);
    if (snprintf(path, sizeof path, "%s/%s", folder, name) >= (int)sizeof path) return 0;
    size_t size = 0;
    char *bytes = read_record(folder, path, &size);
    if (!bytes) return 0;
    if (bytes[size - 1] != '\0') goto unused;
    struct reader reader = {bytes, bytes + size};
    long count, watched, planned;
    char *text = word(&reader);
    if (!text || strcmp(text, header) != 0) goto unused;
    // The key: argv, folder, environment, then the files the calls came from.
    if (!number(&reader, maximum_words, &count) || count != argc) goto unused;
    for (int i = 0; i < argc; i++) {
        text = word(&reader);
        if (!text || strcmp(text, argv[i]) != 0) goto unused;
    }
    text = word(&reader);
    if (!text || strcmp(text, cwd) != 0) goto unused;
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)devenv_prestart_environment_hash(envp));
    text = word(&reader);
    if (!text || strcmp(text, hash) != 0) goto unused;
    if (!number(&reader, maximum_watched, &watched)) goto unused;
    for (long i = 0; i < watched; i++) {
        char *file = word(&reader), *identity = word(&reader);
        if (!file || !identity || file[0] != '/' || !same_identity(file, identity)) goto unused;
    }
    // The calls: program path, argv, environment additions. Checked whole before any starts.
    if (!number(&reader, maximum_calls, &planned) || planned < 1) goto unused;
    int entries = 0;
    while (envp[entries]) entries++;
    call_words = malloc(sizeof(char *) * (size_t)(maximum_words * 2 + (entries + 1) * maximum_calls));
    if (!call_words) goto unused;
    long used = 0, room = maximum_words * 2 + (long)(entries + 1) * maximum_calls;
    struct devenv_prestarted_call planned_calls[maximum_calls];
    for (long c = 0; c < planned; c++) {
        long words, added;
        char *executable = word(&reader);
        if (!executable || executable[0] != '/' || !number(&reader, maximum_words, &words) || words < 1) goto unused;
        char **call_argv = call_words + used;
        if (used + words + 1 > room) goto unused;
        for (long i = 0; i < words; i++) {
            if (!(call_argv[i] = word(&reader))) goto unused;
        }
        call_argv[words] = NULL;
        if (!is_listing(call_argv)) goto unused;
        used += words + 1;
        if (!number(&reader, maximum_words, &added) || used + added > room) goto unused;
        char **additions = call_words + used;
        for (long i = 0; i < added; i++) {
            if (!(additions[i] = word(&reader)) || !strchr(additions[i], '=') || additions[i][0] == '=') goto unused;
        }
        used += added;
        char **call_envp = call_words + used;
        int made = call_environment(envp, additions, added, call_envp, room - used);
        if (made < 0) goto unused;
        used += made;
        planned_calls[c] = (struct devenv_prestarted_call){.executable = executable, .argv = call_argv, .envp = call_envp};
    }
    if (reader.next != reader.end) goto unused;
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0) goto unused;
    sigset_t interrupting;
    sigemptyset(&interrupting);
    // ChildProcesses.forwarded and .otherEnding: every signal devenv's handler may take.
    int blocked[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT};
    for (size_t i = 0; i < sizeof blocked / sizeof blocked[0]; i++) sigaddset(&interrupting, blocked[i]);
    sigprocmask(SIG_BLOCK, &interrupting, &saved_mask);
    for (long c = 0; c < planned; c++) {
        if (spawn_call(&planned_calls[c], null_fd)) calls[call_count++] = planned_calls[c];
    }
    close(null_fd);
    if (call_count == 0) {
        sigprocmask(SIG_SETMASK, &saved_mask, NULL);
        goto unused;
    }
    mask_saved = 1;
    record_bytes = bytes;
    return call_count;
unused:
    free(bytes);
    free(call_words);
    call_words = NULL;
    return 0;
}

// Run by the dynamic loader after relocation and before any Swift code (glibc passes argc,
// argv and the environment to constructors).
__attribute__((constructor)) static void prestart_at_load(int argc, char **argv, char **envp) {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) devenv_prestart(argc, argv, envp, cwd);
}
