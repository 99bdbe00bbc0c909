/* exitsig.h — terminating signals: stop cleanly, then die of them.
 *
 * A signal whose default action ends the process (SIGINT, SIGTERM,
 * SIGQUIT, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ,
 * SIGVTALRM, SIGPROF) only records its number here; the running loop (the
 * TUI's, a headless run's, a headless recording's) sees exitsig_pending(),
 * stops, restores the terminal and discards its unfinished outputs on the
 * main path, and main calls exitsig_reraise(), which dies of the same
 * signal with its default action: the shell sees 128 + N, and a parent
 * sees WIFSIGNALED, as if nothing had been caught.
 *
 * A second terminating signal while the first is still pending (the loop
 * is stuck in a long computation) is the hard way out: the handler runs
 * the attached restore hook (the TUI's endwin, best effort), removes every
 * registered temporary file (outfile_unlink_all: only unlink) and dies of
 * that signal at once.  Crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT, SIGTRAP, SIGSYS) do the same on the first one, then hand the
 * signal to the action that was there before (the default, or a
 * sanitizer's report), so the core file and the status are the real
 * ones.
 *
 * SIGPIPE is caught like the others rather than ignored: a closed pipe on
 * stdout then stops the run at that write (EPIPE), outputs are cleaned up,
 * and the process still dies of SIGPIPE, silently, as `yes | head` does.
 *
 * A signal ignored when the process started (nohup's SIGHUP, SIGINT and
 * SIGQUIT of a background job in a shell without job control) stays
 * ignored. */
#ifndef SGDSCOPE_EXITSIG_H
#define SGDSCOPE_EXITSIG_H

/* Installs the handlers; the first call only (they stay for the life of
 * the process, whoever owns the terminal).  Called before any temporary
 * file exists and before curses starts (so that ncurses, which only
 * catches signals left at their default, keeps its hands off them). */
void exitsig_install(void);

/* The first terminating signal received since exitsig_install, or 0. */
int exitsig_pending(void);

/* wake_fd (≥ 0) gets a byte written on every terminating signal, so a
 * loop blocked in poll on its other end wakes up (the TUI's self-pipe);
 * restore, if not NULL, is called from the handler before dying on the
 * hard way out (it must tolerate being called at any point).  (−1, NULL)
 * detaches both. */
void exitsig_attach(int wake_fd, void (*restore)(void));

/* On the main path, once the loop has stopped and cleaned up: removes any
 * temporary file still registered and dies of the pending signal with its
 * default action (no core file: the core would show this cleanup, not
 * where the signal came).  Returns only if no signal is pending. */
void exitsig_reraise(void);

#endif
