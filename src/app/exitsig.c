/* exitsig.c — terminating signals; see exitsig.h.
 *
 * Handlers only touch sig_atomic_t flags and call async-signal-safe
 * functions (write, unlink, sigaction, raise), plus the attached restore
 * hook on the hard way out (the TUI's endwin: not async-signal-safe, but
 * a terminal left raw is worse than the small risk, as every curses
 * program decides). */
#include "exitsig.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "outfile.h"

/* Asynchronous signals that end the process by default.  SIGKILL and
 * SIGSTOP cannot be caught; real-time signals are left alone. */
static const int exitsig_quit[] = {
    SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
#ifdef SIGXCPU
    SIGXCPU,
#endif
#ifdef SIGXFSZ
    SIGXFSZ,
#endif
#ifdef SIGVTALRM
    SIGVTALRM,
#endif
#ifdef SIGPROF
    SIGPROF,
#endif
};

/* Synchronous ones: a bug, not a request.  Die at once, real status. */
static const int exitsig_crash[] = {
    SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
#ifdef SIGTRAP
    SIGTRAP,
#endif
#ifdef SIGSYS
    SIGSYS,
#endif
};

#define EXITSIG_N(a) (sizeof(a) / sizeof *(a))

static volatile sig_atomic_t exitsig_sig;     /* first signal, or 0 */
static volatile sig_atomic_t exitsig_wake_fd = -1;
static void (*volatile exitsig_restore)(void);
static int exitsig_done;

/* The hard way out: terminal, temporaries, then the default action. */
static void exitsig_die(int sig)
{
    void (*restore)(void) = exitsig_restore;
    if (restore)
        restore();
    outfile_unlink_all();
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* sig is blocked while its handler runs: it is delivered, with the
     * default action now, as soon as the handler returns */
    raise(sig);
}

static void exitsig_on_quit(int sig)
{
    int saved = errno;
    if (exitsig_sig) {
        exitsig_die(sig);
    } else {
        exitsig_sig = sig;
        int fd = exitsig_wake_fd;
        if (fd >= 0) {
            ssize_t n = write(fd, "x", 1);
            (void)n; /* a full pipe already means "wake up" */
        }
    }
    errno = saved;
}

/* The crash signals' actions before ours (a sanitizer's report, or the
 * default), handed back once the terminal and the files are seen to. */
static struct sigaction exitsig_crash_old[EXITSIG_N(exitsig_crash)];

static void exitsig_on_crash(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    void (*restore)(void) = exitsig_restore;
    if (restore)
        restore();
    outfile_unlink_all();
    for (size_t i = 0; i < EXITSIG_N(exitsig_crash); i++)
        if (exitsig_crash[i] == sig)
            sigaction(sig, &exitsig_crash_old[i], NULL);
    /* A fault the kernel raised happens again when the instruction is
     * re-run on return, now with the previous action and its real
     * address; one sent (abort, kill) must be sent again. */
    if (!si || si->si_code <= 0)
        raise(sig);
}

static void exitsig_catch(int sig, void (*fn)(int), int flags,
                          const sigset_t *mask)
{
    struct sigaction sa, old;
    if (sigaction(sig, NULL, &old) != 0 || old.sa_handler == SIG_IGN)
        return; /* ignored by whoever started us: keep it so */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_mask = *mask;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void exitsig_catch_crash(size_t i, const sigset_t *mask)
{
    struct sigaction sa;
    int sig = exitsig_crash[i];
    if (sigaction(sig, NULL, &exitsig_crash_old[i]) != 0 ||
        exitsig_crash_old[i].sa_handler == SIG_IGN)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = exitsig_on_crash;
    sa.sa_mask = *mask;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

void exitsig_install(void)
{
    if (exitsig_done)
        return;
    exitsig_done = 1;
    /* One handler at a time: a second signal waits until the first has
     * been recorded, so the "second signal" test is never torn. */
    sigset_t mask;
    sigemptyset(&mask);
    for (size_t i = 0; i < EXITSIG_N(exitsig_quit); i++)
        sigaddset(&mask, exitsig_quit[i]);
    /* SA_RESTART: a read or write interrupted by a recorded signal goes
     * on; the loop looks at the flag at its next turn (poll and sleeps
     * still return EINTR, which is what wakes the TUI). */
    for (size_t i = 0; i < EXITSIG_N(exitsig_quit); i++)
        exitsig_catch(exitsig_quit[i], exitsig_on_quit, SA_RESTART, &mask);
    for (size_t i = 0; i < EXITSIG_N(exitsig_crash); i++)
        exitsig_catch_crash(i, &mask);
}

int exitsig_pending(void)
{
    return exitsig_sig;
}

void exitsig_attach(int wake_fd, void (*restore)(void))
{
    /* a handler must never see half of this change */
    sigset_t mask, old;
    sigfillset(&mask);
    sigprocmask(SIG_BLOCK, &mask, &old);
    exitsig_wake_fd = wake_fd;
    exitsig_restore = restore;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

void exitsig_reraise(void)
{
    int sig = exitsig_sig;
    if (!sig)
        return;
    outfile_unlink_all();
    /* The signals whose default also dumps core (SIGQUIT, SIGXCPU,
     * SIGXFSZ): the status says which signal ended us; a core of this
     * cleanup code would only mislead. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_CORE, &rl) == 0) {
        rl.rlim_cur = 0;
        setrlimit(RLIMIT_CORE, &rl);
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    /* not reached for a signal that terminates; keep the status honest
     * all the same */
    _exit(128 + sig);
}
