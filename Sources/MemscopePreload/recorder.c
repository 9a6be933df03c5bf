/* Start-up, fork, exec and exit of the recorder.
 *
 * Environment (set by `memscope record`):
 *   MEMSCOPE_SPOOL        base path; process P writes BASE.P
 *   MEMSCOPE_FOLLOW_FORK  "0": a forked child stops recording (and drops LD_PRELOAD), and
 *                         programs the traced one starts are not recorded
 *   MEMSCOPE_RECORDER     memscope's pid (the parent of the traced program)
 *   MEMSCOPE_UNWIND       "fp": frame pointers; "libunwind": libunwind for every stack; "check": both
 *                         the default unwinder (unwind.c) and libunwind, differences to stderr
 *   MEMSCOPE_SCAN         "0": no reference scan at exit (SIGUSR2 asks for one at any time)
 *   MEMSCOPE_SCAN_ON_FREE "0": dying blocks' words are not recorded (words.c)
 *   MEMSCOPE_SCAN_SPACED_EVENTS, MEMSCOPE_SCAN_EVERY_NS, MEMSCOPE_SCAN_AT_PEAK  scans while the
 *                         program runs (schedule.c)
 *   MEMSCOPE_FREE_FRAMES  frames kept in a free's stack (default 16)
 *   MEMSCOPE_CLOCK        "monotonic": every time from clock_gettime, never the TSC (spool.c)
 *   MEMSCOPE_GUARD        "1": red zones around every block (guard.c)
 *   MEMSCOPE_QUARANTINE   bytes of freed blocks held back from reuse and checked (guard.c) */
#include "recorder.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

MS_TLS int ms_busy;
MS_TLS struct ms_thread ms_self;
int ms_state = MS_UNINITIALISED;
uint32_t ms_spool_epoch;
uint64_t ms_generation;
uint64_t ms_image_start;
static int starting;
static void install_scan_signal(void);

uint32_t ms_gettid(void) { return (uint32_t)syscall(SYS_gettid); }

/* BASE.PID, without printf (which may allocate). */
static bool spool_path(char *out, size_t size, pid_t pid) {
    const char *base = getenv("MEMSCOPE_SPOOL");
    if (!base || !base[0]) return false;
    size_t len = strlen(base);
    char digits[16];
    int n = 0;
    unsigned value = (unsigned)pid;
    do { digits[n++] = (char)('0' + value % 10); value /= 10; } while (value);
    if (len + 1 + (size_t)n + 1 > size) return false;
    memcpy(out, base, len);
    out[len++] = '.';
    while (n) out[len++] = digits[--n];
    out[len] = 0;
    return true;
}

static int find_own_range(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    uintptr_t self = (uintptr_t)&find_own_range;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (self >= start && self < start + ph->p_memsz) {
            ms_stacks_set_own_range(start, start + ph->p_memsz);
            return 1;
        }
    }
    return 0;
}

static void read_name(const char *path, char *out, size_t size) {
    out[0] = 0;
    int fd = open(path, 0);
    if (fd < 0) return;
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n <= 0) return;
    if (out[n - 1] == '\n') n--;
    out[n] = 0;
}

/* The command line of this program image (/proc/self/cmdline: after exec the new
 * program's, after fork the parent's, which the child shares), into the spool header
 * (not an event: the exit scan's reader of the spool knows only the events it knows).
 * At most 60 KiB; a longer one is cut and flagged. */
static void record_argv(void) {
    uint8_t *area = (uint8_t *)ms_spool_header() + MS_ARGV_OFFSET;
    size_t capacity = MS_RSS_OFFSET - MS_ARGV_OFFSET - 8;
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    size_t n = 0;
    uint32_t truncated = 0;
    if (fd >= 0) {
        for (;;) {
            ssize_t got = read(fd, area + 8 + n, capacity - n);
            if (got <= 0) break;
            n += (size_t)got;
            if (n == capacity) {
                char extra;
                truncated = read(fd, &extra, 1) > 0;
                break;
            }
        }
        close(fd);
    }
    uint32_t length = (uint32_t)n;
    memcpy(area + 4, &truncated, 4);
    memcpy(area, &length, 4);
}

/* The first events of a process image: image, command line, modules, and the main thread. */
static void record_start(uint32_t parent_tid) {
    struct ms_spool_header *h = ms_spool_header();
    ms_generation = __atomic_add_fetch(&h->next_generation, 1, __ATOMIC_RELAXED);
    ms_clock_init();
    ms_image_start = ms_now();
    record_argv(); /* before the image event, which copies it */
    ms_record_image();
    ms_rss_sample(ms_image_start, true);
    ms_threads_init();
    ms_record_words_marker();
    if (ms_generation == 1) {
        ms_record_thread_start(parent_tid);
        char name[64];
        read_name("/proc/self/comm", name, sizeof name);
        if (name[0]) ms_record_thread_name(ms_gettid(), name);
    }
}

static bool follows_fork(void);

/* With --no-follow-fork, a new program image records only when memscope started it
 * (its parent is MEMSCOPE_RECORDER) or when it continues a recorded process after
 * exec (its spool exists): programs started by the traced one (system, posix_spawn)
 * are left alone. */
static bool wanted_here(const char *path) {
    if (follows_fork() || access(path, F_OK) == 0) return true;
    const char *recorder = getenv("MEMSCOPE_RECORDER");
    return recorder && strtol(recorder, NULL, 10) == (long)getppid();
}

/* Called with ms_busy set. Opens this process's spool on first use. */
bool ms_ensure_started(void) {
    if (ms_state != MS_UNINITIALISED) return ms_state == MS_ACTIVE;
    if (__atomic_exchange_n(&starting, 1, __ATOMIC_ACQUIRE)) return false; /* another thread is starting */
    char path[4096];
    /* The parent is the OS parent at start: memscope for the program it started, the
     * shell or driver for a program started with posix_spawn or vfork and exec. */
    if (!spool_path(path, sizeof path, getpid()) || !wanted_here(path) ||
        !ms_spool_open(path, NULL, (uint32_t)getppid())) {
        __atomic_store_n(&ms_state, MS_OFF, __ATOMIC_RELEASE);
        return false;
    }
    dl_iterate_phdr(find_own_range, NULL);
    ms_debug_init();
    ms_words_init();
    ms_scan_schedule_init(ms_now());
    ms_spool_epoch++;
    __atomic_store_n(&ms_state, MS_ACTIVE, __ATOMIC_RELEASE);
    record_start(0);
    install_scan_signal();
    return true;
}

static void note_exit(int status);
static void exit_status_handler(int status, void *unused) {
    (void)unused;
    note_exit(status);
}

__attribute__((constructor)) static void recorder_constructor(void) {
    if (ms_busy) return;
    ms_busy = 1;
    /* exit() runs on_exit handlers with the status, however it is reached: a call
     * from the program or libc's own call when main returns (which an interposed
     * `exit` does not see). A forked child inherits the registration; a new image
     * after exec registers again. */
    if (ms_ensure_started()) on_exit(exit_status_handler, NULL);
    ms_busy = 0;
}

/* At exit: the reference scan, unless MEMSCOPE_SCAN=0. (Not after _exit or a
 * fatal signal: the heap may be inconsistent then.) */
int ms_scan_requested;
int ms_scan_running; /* one scan at a time: they share what the last one kept (scan.c) */

__attribute__((destructor)) static void recorder_destructor(void) {
    if (ms_state != MS_ACTIVE || ms_busy) return;
    ms_busy = 1;
    ms_debug_check_at_exit();
    const char *scan = getenv("MEMSCOPE_SCAN");
    if (!(scan && strcmp(scan, "0") == 0)) {
        /* Another thread may be scanning while this one exits: it ends soon. */
        bool mine = false;
        for (int i = 0; i < 100000 && !(mine = !__atomic_exchange_n(&ms_scan_running, 1, __ATOMIC_ACQUIRE)); i++)
            sched_yield();
        if (mine) ms_scan_references(true);
    }
    ms_busy = 0;
}

/* SIGUSR2 asks for a scan; the next allocator call (outside the signal handler)
 * runs it. Installed only when the program has no SIGUSR2 handler of its own. */

static void request_scan(int signal) {
    (void)signal;
    __atomic_store_n(&ms_scan_requested, 1, __ATOMIC_RELAXED);
}

static void install_scan_signal(void) {
    struct sigaction current;
    if (sigaction(SIGUSR2, NULL, &current) != 0 || current.sa_handler != SIG_DFL) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = request_scan;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR2, &action, NULL);
}

/* Called with ms_busy set, from a hook. */
void ms_scan_on_request(void) {
    if (!__atomic_exchange_n(&ms_scan_requested, 0, __ATOMIC_ACQUIRE)) return;
    if (__atomic_exchange_n(&ms_scan_running, 1, __ATOMIC_ACQUIRE)) return;
    uint64_t started = ms_now();
    uint64_t work = ms_scan_references(false);
    ms_scan_finished(started, ms_now(), work);
    __atomic_store_n(&ms_scan_running, 0, __ATOMIC_RELEASE);
}

static bool follows_fork(void) {
    const char *value = getenv("MEMSCOPE_FOLLOW_FORK");
    return !(value && strcmp(value, "0") == 0);
}

static void after_fork_in_child(uint32_t parent_pid, uint32_t parent_tid) {
    struct ms_spool_header inherited = *ms_spool_header();
    ms_spool_forget_inherited();
    ms_threads_after_fork();
    ms_stacks_reset_thread();
    char path[4096];
    if (!follows_fork() || !spool_path(path, sizeof path, getpid()) ||
        !ms_spool_open(path, &inherited, parent_pid)) {
        ms_state = MS_OFF;
        if (!follows_fork()) unsetenv("LD_PRELOAD");
        return;
    }
    ms_spool_epoch++;
    record_start(parent_tid);
    /* The child's scans: its own spool, its own schedule, and no scan of another thread under way. */
    ms_scan_running = 0;
    ms_self.scan_left = ms_self.scan_batch = 0;
    ms_scan_schedule_init(ms_now());
}

MS_EXPORT pid_t fork(void) {
    static pid_t (*real)(void);
    if (!real) real = (pid_t(*)(void))dlsym(RTLD_NEXT, "fork");
    uint32_t parent_pid = (uint32_t)getpid();
    uint32_t parent_tid = ms_gettid();
    ms_debug_before_fork(); /* no other thread holds the debugging allocator's lock in the child */
    pid_t pid = real();
    ms_debug_after_fork();
    if (ms_state != MS_ACTIVE || ms_busy) return pid;
    ms_busy = 1;
    if (pid == 0) {
        after_fork_in_child(parent_pid, parent_tid);
    } else if (pid > 0) {
        uint8_t *e = ms_event_begin(32);
        if (e) {
            *e++ = MS_EV_FORK;
            e = ms_put(e, ms_now());
            e = ms_put(e, (uint64_t)pid);
            ms_event_end(e);
        }
    }
    ms_busy = 0;
    return pid;
}

/* Exit statuses the process reports itself (memscope prefers what waitpid says):
 * exit() through the on_exit handler, _exit and _Exit interposed. */
static void note_exit(int status) {
    if (ms_state != MS_ACTIVE) return;
    int e = errno, was_busy = ms_busy;
    ms_busy = 1;
    ms_record_end(0, status & 0xff);
    ms_rss_sample(ms_now(), true);
    ms_busy = was_busy;
    errno = e;
}

MS_EXPORT void _exit(int status) {
    note_exit(status);
    syscall(SYS_exit_group, status);
    __builtin_unreachable();
}

MS_EXPORT void _Exit(int status) { _exit(status); }
