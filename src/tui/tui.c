/* tui.c — the interactive loop: keys → actions, frame pacing, canvas →
 * screen.
 *
 * One frame: read every pending key and apply it; when the frame deadline
 * has come, let the app step (app_tick); draw the canvas with view_draw
 * and copy it to the screen; then sleep in poll until the next deadline or
 * the next key, whichever is first.  Keys therefore get an immediate
 * redraw without making the run step faster.  When nothing steps (paused,
 * a diverged run, help open) the loop blocks in poll until a key or the
 * app's next timer: zero CPU.  The app's clock comes from here
 * (app_clock), so the app itself never reads a clock. */
#include "tui.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canvas.h"
#include "term.h"
#include "view.h"

/* Spectra (an SVD each) at most this often, whatever the frame rate; and
 * at most a fifth of the time: a large model's spectrum takes a few
 * hundred milliseconds (MODEL_PROBE_MAX probes, a Lanczos run), and the
 * steps and the keys keep the rest. */
#define TUI_SPECTRUM_NS 100000000LL
#define TUI_SPECTRUM_SHARE 5
/* Steps-per-second window. */
#define TUI_SPS_WINDOW_NS 1000000000LL
#define TUI_SPS_SAMPLES 256

typedef struct tui_sps {
    long long t[TUI_SPS_SAMPLES]; /* sample times, ns */
    uint64_t n[TUI_SPS_SAMPLES];  /* steps taken by then */
    int head, count;
    uint64_t total;
} tui_sps;

/* The blitter's row buffer: up to 4 UTF-8 bytes per cell. */
typedef struct tui_row {
    char *buf;
    size_t cap;
} tui_row;

static long long tui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Records that `steps` more were taken at time now and returns the rate
 * over the samples of the last second. */
static double tui_sps_add(tui_sps *s, long long now, uint64_t steps)
{
    s->total += steps;
    s->head = (s->head + 1) % TUI_SPS_SAMPLES;
    s->t[s->head] = now;
    s->n[s->head] = s->total;
    if (s->count < TUI_SPS_SAMPLES)
        s->count++;
    /* The oldest sample still inside the window. */
    int oldest = s->head;
    for (int k = 1; k < s->count; k++) {
        int i = (s->head - k + TUI_SPS_SAMPLES) % TUI_SPS_SAMPLES;
        if (now - s->t[i] > TUI_SPS_WINDOW_NS)
            break;
        oldest = i;
    }
    long long dt = now - s->t[oldest];
    if (dt <= 0)
        return 0.0;
    return (double)(s->total - s->n[oldest]) * 1e9 / (double)dt;
}

static void tui_sps_reset(tui_sps *s)
{
    s->count = 0;
}

/* Curses key codes as the app knows them (app.h): the app never sees
 * curses.  Enter and Backspace come in several spellings. */
static int tui_map_key(int ch)
{
    switch (ch) {
    case KEY_UP: return APP_KEY_UP;
    case KEY_DOWN: return APP_KEY_DOWN;
    case KEY_LEFT: return APP_KEY_LEFT;
    case KEY_RIGHT: return APP_KEY_RIGHT;
    case KEY_PPAGE: return APP_KEY_PGUP;
    case KEY_NPAGE: return APP_KEY_PGDN;
    case KEY_HOME: return APP_KEY_HOME;
    case KEY_END: return APP_KEY_END;
    case KEY_F(1): return APP_KEY_F1;
    case KEY_F(10): return APP_KEY_F10;
    case KEY_BTAB: return APP_KEY_BTAB;
    case KEY_ENTER: case '\r': case '\n': return APP_KEY_ENTER;
    case KEY_BACKSPACE: case 8: case 127: return APP_KEY_BACKSPACE;
    default: return ch;
    }
}

/* Applies every pending key.  Returns 1 if anything happened that the
 * screen should show. */
static int tui_read_keys(app *a)
{
    int any = 0, ch;
    while (!a->quit && (ch = getch()) != ERR) {
        any = 1;
        if (ch == KEY_RESIZE)
            continue; /* the canvas follows COLS × LINES at draw time */
        app_press(a, tui_map_key(ch));
    }
    return any;
}

static int tui_row_fit(tui_row *row, int w)
{
    size_t need = (size_t)w * 4 + 1;
    if (need <= row->cap)
        return 0;
    char *p = realloc(row->buf, need);
    if (!p)
        return -1;
    row->buf = p;
    row->cap = need;
    return 0;
}

/* Copies the canvas to stdscr, one addnstr per run of cells that share
 * attributes.  ncurses diffs against what is on the terminal, so a full
 * copy each frame only sends what changed. */
static void tui_blit(const canvas *c, tui_row *row)
{
    int utf8 = term_utf8();
    int w = c->w < COLS ? c->w : COLS;
    int h = c->h < LINES ? c->h : LINES;
    if (tui_row_fit(row, w) != 0)
        return;
    for (int y = 0; y < h; y++) {
        int x = 0;
        while (x < w) {
            const cell *first = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
            int x0 = x;
            size_t len = 0;
            while (x < w) {
                const cell *ce = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
                if (ce->role != first->role || ce->attr != first->attr)
                    break;
                char u[5];
                int n = canvas_cell_utf8(c, x, y, u);
                if (n <= 0 || (n > 1 && !utf8)) {
                    u[0] = n <= 0 ? ' ' : '?';
                    n = 1;
                }
                memcpy(row->buf + len, u, (size_t)n);
                len += (size_t)n;
                x++;
            }
            attrset(term_attr(first->role, first->attr));
            /* The bottom-right cell makes addnstr report ERR (the cursor
             * cannot advance past it) after writing it: ignored. */
            mvaddnstr(y, x0, row->buf, (int)len);
        }
    }
    attrset(A_NORMAL);
}

static void tui_draw(canvas *cv, tui_row *row, const app *a,
                     struct recorder *rec, double t)
{
    if (canvas_resize(cv, COLS, LINES) != 0)
        return;
    view_draw(cv, a);
    /* The recording gets a frame whenever the screen does, laid out at
     * the recording's own size. */
    if (rec)
        recorder_frame(rec, t, a);
    tui_blit(cv, row);
    wnoutrefresh(stdscr);
    doupdate();
}

int tui_run(app *a, const tui_opts *o)
{
    int fps = o && o->fps > 0 ? o->fps : 30;
    if (fps > 240)
        fps = 240;
    tui_opts none = {0};
    glyph_tier tier;
    char err[256];
    int orc = term_open(o ? o : &none, &tier, err, sizeof err);
    if (orc != 0) {
        fprintf(stderr, "sgdscope: %s\n", err);
        return orc == TERM_UNUSABLE ? 2 : 1; /* 2: as with no terminal */
    }

    canvas cv;
    tui_row row = {NULL, 0};
    if (canvas_init(&cv, COLS, LINES, tier) != 0) {
        term_close();
        fprintf(stderr, "sgdscope: out of memory\n");
        return 1;
    }

    static tui_sps sps; /* 4 KiB: kept off the stack */
    memset(&sps, 0, sizeof sps);
    const long long frame_ns = 1000000000LL / fps;
    long long next = tui_now(), last_spectrum = next - TUI_SPECTRUM_NS;
    long long spectrum_gap = TUI_SPECTRUM_NS;
    const long long start = next;
    int dirty = 1;

    while (!a->quit && !term_quit_signal()) {
        /* the app's clock is ours: seconds since the start */
        app_clock(a, (double)(tui_now() - start) / 1e9);
        if (term_check_resize())
            dirty = 1;
        if (tui_read_keys(a))
            dirty = 1;
        if (app_background(a)) /* the map's sweep: never blocks */
            dirty = 1;
        if (a->quit || term_quit_signal())
            break;

        long long now = tui_now();
        if (now >= next) {
            if (app_busy(a)) {
                int spec = now - last_spectrum >= spectrum_gap;
                if (spec)
                    last_spectrum = now;
                uint64_t n = app_tick(a, spec);
                if (spec) {
                    /* the frame's steps count too: a conservative gap */
                    long long took = tui_now() - now;
                    spectrum_gap = TUI_SPECTRUM_SHARE * took;
                    if (spectrum_gap < TUI_SPECTRUM_NS)
                        spectrum_gap = TUI_SPECTRUM_NS;
                }
                a->sps = tui_sps_add(&sps, now, n);
                dirty = 1;
            }
            /* Fell behind (a slow frame, or a stop): start afresh rather
             * than rushing frames to catch up. */
            next += frame_ns;
            if (next <= now)
                next = now + frame_ns;
        }
        if (!app_busy(a)) {
            /* Nothing steps (paused, help open...): no rate to show, and
             * resuming measures afresh, not across the stop. */
            tui_sps_reset(&sps);
            a->sps = 0.0;
        }
        if (dirty) {
            tui_draw(&cv, &row, a, o ? o->rec : NULL,
                     (double)(tui_now() - start) / 1e9);
            dirty = 0;
        }

        if (!app_busy(a)) {
            /* Nothing steps: block until a key, a resize, a signal or
             * the app's next timer (a message going away): zero CPU. */
            double t = app_next_timer(a);
            int ms = -1;
            if (t >= 0) {
                double left = t - (double)(tui_now() - start) / 1e9;
                ms = left > 0 ? (int)(left * 1000.0) + 1 : 0;
            }
            term_wait(ms, app_wait_fd(a));
            dirty = 1;
            next = tui_now();
        } else {
            long long left = next - tui_now();
            if (left > 0 && term_wait((int)((left + 999999) / 1000000),
                                      app_wait_fd(a)))
                dirty = 1;
        }
    }

    int sig = term_quit_signal();
    term_close();
    canvas_free(&cv);
    free(row.buf);
    return sig ? 128 + sig : 0;
}

void tui_terminal_size(int *cols, int *rows)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
        ws.ws_row > 0) {
        *cols = ws.ws_col;
        *rows = ws.ws_row;
    } else {
        *cols = 80;
        *rows = 24;
    }
}
