/* term.c — curses set-up and teardown, colours, signals, input waiting.
 *
 * Signals, and why each is handled the way it is:
 *   terminating signals (SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE,
 *   SIGALRM, SIGUSR1, SIGUSR2, ...) and crashes
 *                    exitsig's (exitsig.h): a first one only records
 *                    itself and writes to our self-pipe, so the loop
 *                    wakes, leaves, term_close restores the terminal and
 *                    main dies of the signal once the outputs are
 *                    cleaned up.  A second one while the first is pending
 *                    (the loop is stuck), or a crash, runs term_restore
 *                    (endwin, best effort) and dies at once.  Installed
 *                    before newterm, so ncurses (which catches SIGINT
 *                    and SIGTERM only when they are at their default)
 *                    leaves them to us.
 *   SIGWINCH         ours, not ncurses': sets a flag and wakes the loop,
 *                    which then asks the kernel for the size and calls
 *                    resizeterm.  Owning it closes the race between
 *                    checking for a resize and blocking in poll.
 *   SIGTSTP          ours, not ncurses': sets a flag and wakes the loop,
 *                    which (term_check_resize) restores the terminal
 *                    with endwin, stops itself with the default action,
 *                    and on resume repaints.  ncurses' own handler lost
 *                    a Ctrl-Z now and then (about one in 150 e2e runs),
 *                    and doing the work on the main path keeps curses
 *                    calls out of the signal handler.
 *   SIGCONT          also marks a resize check and a full repaint: the
 *                    window may have changed size while we were stopped,
 *                    and a stopped process gets no SIGWINCH.
 * A terminal that hangs up with SIGHUP ignored (nohup) is seen by poll
 * (POLLHUP on stdin) and ends the loop as SIGHUP would, instead of
 * spinning on a dead descriptor.
 * atexit also calls endwin when curses is still active, for exit() calls
 * from anywhere while the screen is up. */
#include "term.h"

#include "exitsig.h"
#include <term.h> /* terminfo: setupterm, tigetstr (after curses.h) */

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sanitize.h"

static SCREEN *term_screen;
static volatile sig_atomic_t term_active;   /* curses owns the terminal */
static volatile sig_atomic_t term_hangup;  /* stdin hung up */
static volatile sig_atomic_t term_winch;    /* size may have changed */
static volatile sig_atomic_t term_repaint;  /* resumed after a stop */
static volatile sig_atomic_t term_tstp;     /* Ctrl-Z: stop when safe */
static int term_pipe[2] = {-1, -1};         /* self-pipe: signal → poll */
static int term_is_utf8;
static attr_t term_role_attr[ROLE_COUNT];

enum { TERM_NSIGS = 3 };
static int term_sig_nums[TERM_NSIGS];
static struct sigaction term_sig_old[TERM_NSIGS];
static int term_sig_count;

static void term_wake(void)
{
    int saved = errno;
    if (term_pipe[1] >= 0) {
        ssize_t n = write(term_pipe[1], "x", 1);
        (void)n; /* a full pipe already means "wake up" */
    }
    errno = saved;
}

static void term_on_winch(int sig)
{
    term_winch = 1;
    if (sig == SIGCONT)
        term_repaint = 1;
    term_wake();
}

static void term_on_tstp(int sig)
{
    (void)sig;
    term_tstp = 1;
    term_wake();
}

/* exitsig's restore hook, run from a signal handler on the hard way out
 * (a second terminating signal, a crash). */
static void term_restore(void)
{
    if (term_active) {
        term_active = 0;
        endwin();
    }
}

static void term_atexit(void)
{
    if (term_active && !isendwin())
        endwin();
    term_active = 0;
}

static void term_catch(int sig, void (*fn)(int), int flags)
{
    if (term_sig_count == TERM_NSIGS)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    if (sigaction(sig, &sa, &term_sig_old[term_sig_count]) == 0)
        term_sig_nums[term_sig_count++] = sig;
}

static void term_restore_signals(void)
{
    while (term_sig_count > 0) {
        term_sig_count--;
        sigaction(term_sig_nums[term_sig_count],
                  &term_sig_old[term_sig_count], NULL);
    }
}

static int term_open_pipe(void)
{
    if (pipe(term_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(term_pipe[i], F_SETFL, fcntl(term_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(term_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

static void term_close_pipe(void)
{
    for (int i = 0; i < 2; i++) {
        if (term_pipe[i] >= 0)
            close(term_pipe[i]);
        term_pipe[i] = -1;
    }
}

static void term_setup_colors(int want)
{
    int on = want && has_colors() && start_color() == OK &&
             COLOR_PAIRS > ROLE_COUNT;
    int rich = on && COLORS >= 256;
    if (on)
        use_default_colors();
    /* The palette is the view's (canvas_palette): the same colours on
     * the screen and in a recording, one per role and per run. */
    for (int r = 0; r < ROLE_COUNT; r++) {
        const role_colour *pc = &canvas_palette[r];
        attr_t at = (pc->attr & ATTR_BOLD ? A_BOLD : 0) |
                    (pc->attr & ATTR_DIM ? A_DIM : 0) |
                    (pc->attr & ATTR_REVERSE ? A_REVERSE : 0);
        /* The 256-colour grey is already subdued: no A_DIM on top. */
        if (rich && r == ROLE_DIM)
            at = 0;
        if (on) {
            init_pair((short)(r + 1), rich ? pc->c256 : pc->c8, -1);
            at |= COLOR_PAIR(r + 1);
        }
        term_role_attr[r] = at;
    }
}

static int term_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* Whether $TERM's terminfo entry has cursor addressing (cup), read
 * without touching the terminal; *known says whether there is an entry
 * at all. */
static int term_can_address(int *known)
{
    int st = 0;
    TERMINAL *saved = cur_term;
    *known = setupterm(NULL, STDOUT_FILENO, &st) == OK;
    if (!*known)
        return 0;
    char *cup = tigetstr("cup");
    int ok = cup && cup != (char *)-1;
    /* newterm loads its own copy; this one is freed */
    del_curterm(set_curterm(saved));
    return ok;
}

int term_open(const tui_opts *o, glyph_tier *tier, char *err, size_t errlen)
{
    static int atexit_done;

    /* Only the character type follows the user's locale: numbers stay in
     * the C locale, because scene files (reloaded on reset and scene
     * switch) use '.' decimals and the view prints them the same way. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    int utf8 = term_locale_utf8();
    if (o->force_unicode)
        utf8 = 1;
    *tier = o->force_ascii ? GLYPH_ASCII
            : !utf8        ? GLYPH_ASCII
            : o->force_block ? GLYPH_BLOCK
                           : GLYPH_BRAILLE;
    term_is_utf8 = utf8 && !o->force_ascii;

    /* No terminal type, or one that cannot put the cursor anywhere
     * (dumb, a printing terminal): the view would collapse onto one
     * garbled line, so it is refused as a missing terminal is. */
    const char *t = getenv("TERM");
    if (!t || !*t) {
        snprintf(err, errlen, "TERM is not set; the interactive view needs "
                 "a terminal type (--headless runs without one)");
        return TERM_UNUSABLE;
    }
    /* Asked of the terminfo database before curses starts: curses would
     * already write to the terminal (ending a dumb one, it scrolls it). */
    int known = 0, cup = term_can_address(&known);
    if (!cup) {
        char shown[64];
        sanitize_text(shown, sizeof shown, t);
        if (known)
            snprintf(err, errlen, "terminal type '%s' cannot move the "
                     "cursor; the interactive view needs one that can "
                     "(--headless runs without one)", shown);
        else
            snprintf(err, errlen, "unknown terminal type '%s' "
                     "(--headless runs without one)", shown);
        return TERM_UNUSABLE;
    }
    if (term_open_pipe() != 0) {
        snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    term_hangup = term_winch = term_repaint = 0;
    /* Before newterm: see the top of the file. */
    exitsig_install();

    /* newterm, not initscr: initscr exits by itself on a bad TERM. */
    term_screen = newterm(NULL, stdout, stdin);
    if (!term_screen) {
        char shown[64];
        sanitize_text(shown, sizeof shown, t);
        snprintf(err, errlen, "cannot use terminal type '%s'", shown);
        term_close_pipe();
        return -1;
    }
    term_active = 1;
    exitsig_attach(term_pipe[1], term_restore);
    if (!atexit_done) {
        atexit(term_atexit);
        atexit_done = 1;
    }
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE); /* we wait in poll, never in getch */
    curs_set(0);
    /* Without this ncurses abandons a refresh whenever a key is pending,
     * so holding a key down would freeze the picture. */
    typeahead(-1);
    set_escdelay(25);

    const char *nc = getenv("NO_COLOR");
    term_setup_colors(!o->no_color && !(nc && *nc));

    /* Installed after newterm so ours win over ncurses' defaults for
     * these (SIGTSTP included, see the top of the file). */
    term_catch(SIGWINCH, term_on_winch, SA_RESTART);
    term_catch(SIGCONT, term_on_winch, SA_RESTART);
    term_catch(SIGTSTP, term_on_tstp, SA_RESTART);
    /* The size may have changed between newterm and our SIGWINCH. */
    term_winch = 1;
    return 0;
}

void term_close(void)
{
    exitsig_attach(-1, NULL);
    if (term_active) {
        term_active = 0;
        curs_set(1);
        endwin();
    }
    term_restore_signals();
    if (term_screen) {
        delscreen(term_screen);
        term_screen = NULL;
    }
    term_close_pipe();
}

attr_t term_attr(int role, int attr)
{
    attr_t at = (role >= 0 && role < ROLE_COUNT) ? term_role_attr[role] : 0;
    if (attr & ATTR_BOLD)
        at |= A_BOLD;
    if (attr & ATTR_DIM)
        at |= A_DIM;
    if (attr & ATTR_REVERSE)
        at |= A_REVERSE;
    return at;
}

int term_utf8(void)
{
    return term_is_utf8;
}

int term_wait(int timeout_ms, int fd)
{
    if (exitsig_pending() || term_hangup || term_winch || term_tstp)
        return 1;
    struct pollfd p[3] = {{STDIN_FILENO, POLLIN, 0}, {term_pipe[0], POLLIN, 0},
                          {fd, POLLIN, 0}};
    int n = poll(p, fd >= 0 ? 3 : 2, timeout_ms);
    if (n > 0 && (p[1].revents & POLLIN)) {
        char buf[64];
        while (read(term_pipe[0], buf, sizeof buf) > 0)
            ;
    }
    /* The terminal is gone (SIGHUP ignored, or not sent): nothing will
     * ever be read again, and poll would return at once forever. */
    if (n > 0 && (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
        term_hangup = 1;
    /* EINTR counts as a wake-up: a signal wants the loop to look. */
    return n != 0;
}

int term_quit_signal(void)
{
    int sig = exitsig_pending();
    return sig ? sig : term_hangup ? SIGHUP : 0;
}

/* Ctrl-Z, on the main path: the terminal back to the shell, then stop
 * with the default action; execution resumes here on SIGCONT (whose
 * handler asks for a size check and a full repaint), with our handler
 * back in place for the next Ctrl-Z. */
static void term_suspend(void)
{
    term_tstp = 0;
    endwin();
    fflush(stdout);
    struct sigaction dfl, ours;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &ours);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &ours, NULL);
    term_winch = 1;
    term_repaint = 1;
}

int term_check_resize(void)
{
    if (term_tstp)
        term_suspend();
    if (!term_winch)
        return 0;
    term_winch = 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
        ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
    if (term_repaint) {
        term_repaint = 0;
        clearok(curscr, TRUE);
    }
    return 1;
}
