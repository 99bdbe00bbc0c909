/* main.c — the command line: parse flags, build the scene, then run the
 * interactive view, a headless run, a snapshot or a headless recording. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "app.h"
#include "canvas.h"
#include "comparison.h"
#include "exitsig.h"
#include "ghost.h"
#include "headless.h"
#include "outfile.h"
#include "record.h"
#include "scene.h"
#include "scenedir.h"
#include "session.h"
#include "timeline.h"
#include "tui.h"
#include "view.h"

#ifndef SGDSCOPE_VERSION
#define SGDSCOPE_VERSION "dev"
#endif

#define MAX_SETS 256

static const char usage_text[] =
    "usage: sgdscope [OPTIONS] [SCENE]\n"
    "       sgdscope --headless [SCENE] [--csv FILE|-] [--every N] [--summary]\n"
    "                [--at N|P%]\n"
    "       sgdscope --snapshot [SCENE] [--steps N] [--at N|P%] "
    "[--size COLSxROWS]\n"
    "       sgdscope --headless --record FILE.cast [--size COLSxROWS]\n"
    "                [--at N|P%] [SCENE]\n"
    "\n"
    "Steps SGD on the toy models of \"SGD with large step sizes learns sparse\n"
    "features\".  SCENE is a path or the name of a shipped scene (--list);\n"
    "a comparison scene steps up to 6 runs in lockstep (man sgdscope:\n"
    "COMPARISONS; in the app Tab focuses a run, f forks it, c compares).\n"
    "\n"
    "  --headless        run without a terminal; print CSV and/or a summary\n"
    "  --model NAME      quad1d, diagnet or relu1d (same as --set model=NAME)\n"
    "  --set KEY=VALUE   set any scene field; repeatable, applied after SCENE\n"
    "  --seed N          random seed (same as --set seed=N)\n"
    "  --steps N         run length (same as --set steps=N); decays at a\n"
    "                    share of the run (30%) refer to it\n"
    "  --at N|P%         stop at step N, or at P% of the run, keeping the\n"
    "                    run length: the --snapshot frame, the last frame\n"
    "                    of a headless --record, the end of --csv/--summary\n"
    "  --csv FILE|-      write metrics as CSV to FILE or stdout\n"
    "  --every N         a CSV row every N steps (0: only at the end)\n"
    "  --summary         print one JSON line of final metrics per run\n"
    "  --snapshot        print one frame as plain text (at --at, by default\n"
    "                    the end of the run) and exit\n"
    "  --size COLSxROWS  frame size for --snapshot and --record (100x30)\n"
    "  --record FILE     record the session as asciicast v2 (FILE.cast)\n"
    "  --script SCRIPT   press keys at steps: 'STEP:KEY STEP:KEY ...'\n"
    "  --ghost FILE[:RUN]  draw a saved run's loss (a CSV of --csv or e)\n"
    "                    behind the live runs\n"
    "  --list            list the shipped scenes and exit\n"
    "  --fps N           frames per second of the view and recordings (30)\n"
    "  --unicode         braille plots whatever the locale\n"
    "  --ascii           plain ASCII plots\n"
    "  --block           quadrant-block plots (fonts without braille)\n"
    "  --no-color        no colour (NO_COLOR in the environment also)\n"
    "  --help            show this help\n"
    "  --version         show the version\n"
    "\n"
    "Exit status: 0 success (a diverged run is a result, not an error),\n"
    "1 runtime failure (a failed write too), 2 bad usage, a bad scene or a\n"
    "refused output path, 128+N ended by signal N (man sgdscope: FILES,\n"
    "SIGNALS).\n";

/* ---- standard output ------------------------------------------------------
 * Every write to stdout counts: a full disk or a closed descriptor is an
 * error (exit 1, "cannot write stdout: REASON"), found either where the
 * run looks (a CSV row, so it stops at once) or at the latest when stdout
 * is closed on the way out.  Reported once. */

static int stdout_reported;

static void stdout_error(int e)
{
    if (!stdout_reported)
        fprintf(stderr, "sgdscope: cannot write stdout: %s\n",
                strerror(e ? e : EIO));
    stdout_reported = 1;
}

/* atexit: flush and close stdout, and turn any error into status 1 (as
 * gnulib's close_stdout does).  A descriptor that was closed from the
 * start (EBADF at fclose) with nothing written is not an error. */
static void close_stdout(void)
{
    errno = 0;
    int prev = ferror(stdout), e = 0;
    if (fflush(stdout) != 0)
        e = errno;
    else if (prev)
        e = errno ? errno : EIO;
    int closed = fclose(stdout) == 0;
    if (!closed && !e && !prev && errno != EBADF)
        e = errno;
    if (e || prev || stdout_reported) {
        /* a reader that went away (SIGPIPE, recorded by exitsig in a
         * headless run): die of it, silently, as a filter does */
        exitsig_reraise();
        stdout_error(e);
        _exit(1);
    }
}

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "sgdscope: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage_text);
    exit(2);
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* Everything the command line says. */
typedef struct opts {
    int headless, summary, snapshot, list, every_set;
    int size_w, size_h, size_set, fps;
    int force_ascii, force_unicode, force_block, no_color;
    const char *csv_path, *record_path, *script, *scene_arg;
    const char *ghost_arg; /* --ghost FILE[:RUN] */
    const char *at_arg;   /* --at as given; resolved against the scene's
                             steps once the scene is built */
    double at_pct;        /* --at P%: P; < 0 for a step */
    uint64_t at_step;     /* --at N */
    uint64_t every;
    char sets[MAX_SETS][512]; /* scene overrides, in command-line order */
    size_t nsets;
} opts;

enum { OPT_HEADLESS = 256, OPT_MODEL, OPT_SET, OPT_SEED, OPT_STEPS, OPT_CSV,
       OPT_EVERY, OPT_SUMMARY, OPT_HELP, OPT_VERSION, OPT_SNAPSHOT, OPT_SIZE,
       OPT_FPS, OPT_UNICODE, OPT_ASCII, OPT_NOCOLOR, OPT_RECORD, OPT_SCRIPT,
       OPT_LIST, OPT_BLOCK, OPT_AT, OPT_GHOST };

static const struct option long_opts[] = {
    {"headless", no_argument, 0, OPT_HEADLESS},
    {"model", required_argument, 0, OPT_MODEL},
    {"set", required_argument, 0, OPT_SET},
    {"seed", required_argument, 0, OPT_SEED},
    {"steps", required_argument, 0, OPT_STEPS},
    {"at", required_argument, 0, OPT_AT},
    {"csv", required_argument, 0, OPT_CSV},
    {"every", required_argument, 0, OPT_EVERY},
    {"summary", no_argument, 0, OPT_SUMMARY},
    {"snapshot", no_argument, 0, OPT_SNAPSHOT},
    {"size", required_argument, 0, OPT_SIZE},
    {"record", required_argument, 0, OPT_RECORD},
    {"script", required_argument, 0, OPT_SCRIPT},
    {"ghost", required_argument, 0, OPT_GHOST},
    {"list", no_argument, 0, OPT_LIST},
    {"fps", required_argument, 0, OPT_FPS},
    {"unicode", no_argument, 0, OPT_UNICODE},
    {"ascii", no_argument, 0, OPT_ASCII},
    {"block", no_argument, 0, OPT_BLOCK},
    {"no-color", no_argument, 0, OPT_NOCOLOR},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0}};

/* Optimal-string-alignment distance between a and b (at most 31 bytes
 * each are compared): Levenshtein plus adjacent transpositions, because
 * the usual typo of a flag is two swapped letters ("--fsp"). */
static size_t osa_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 31)
        n = 31;
    if (m > 31)
        m = 31;
    size_t d[32][32];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

/* The known long option nearest to arg ("--fsp" or "--fsp=3"), or NULL
 * when none is close: within 2 edits, and fewer than the name's length so
 * that a short word is not "corrected" into an unrelated one. */
static const char *nearest_option(const char *arg)
{
    char word[32];
    while (*arg == '-')
        arg++;
    size_t k = strcspn(arg, "=");
    if (k == 0 || k >= sizeof word)
        return NULL;
    memcpy(word, arg, k);
    word[k] = 0;
    const char *best = NULL;
    size_t bd = 3;
    for (const struct option *op = long_opts; op->name; op++) {
        size_t d = osa_distance(word, op->name);
        if (d < bd && d < k) {
            bd = d;
            best = op->name;
        }
    }
    return best;
}

/* --at N or --at P% (P a number 0..100).  Returns 0 or −1. */
static int parse_at(opts *o, const char *arg)
{
    size_t len = strlen(arg);
    o->at_arg = arg;
    if (len > 1 && arg[len - 1] == '%') {
        char num[64], *end;
        if (len - 1 >= sizeof num || arg[0] == '-' || arg[0] == '+')
            return -1;
        memcpy(num, arg, len - 1);
        num[len - 1] = 0;
        errno = 0;
        double p = strtod(num, &end);
        if (errno || *end || end == num || !(p >= 0.0 && p <= 100.0))
            return -1;
        o->at_pct = p;
        return 0;
    }
    o->at_pct = -1.0;
    return parse_u64(arg, &o->at_step);
}

/* The step --at names in a run of `steps` steps (the end without --at).
 * A share rounds to the nearest step.  Exits 2 past the end: the run
 * would have to go on beyond its own length. */
static uint64_t resolve_at(const opts *o, uint64_t steps)
{
    if (!o->at_arg)
        return steps;
    uint64_t at = o->at_pct >= 0.0
                      ? (uint64_t)llround(o->at_pct / 100.0 * (double)steps)
                      : o->at_step;
    if (at > steps) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "--at %%s is past the end of the run (steps = %llu); "
                 "--steps sets the run length",
                 (unsigned long long)steps);
        usage_error(msg, o->at_arg);
    }
    return at;
}

static void parse_size(opts *o, const char *arg)
{
    char *x;
    long w = strtol(arg, &x, 10), h = 0;
    if (x != arg && (*x == 'x' || *x == 'X')) {
        char *end;
        h = strtol(x + 1, &end, 10);
        if (*end || end == x + 1)
            h = 0;
    }
    if (w < 1 || h < 1 || w > 1000 || h > 1000)
        usage_error("--size needs COLSxROWS, each 1..1000, got '%s'", arg);
    o->size_w = (int)w;
    o->size_h = (int)h;
    o->size_set = 1;
}

static void parse_args(opts *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->size_w = 100;
    o->size_h = 30;
    o->fps = 30;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case OPT_HEADLESS: o->headless = 1; break;
        case OPT_SNAPSHOT: o->snapshot = 1; break;
        case OPT_LIST: o->list = 1; break;
        case OPT_UNICODE: o->force_unicode = 1; o->force_ascii = 0; break;
        case OPT_ASCII: o->force_ascii = 1; o->force_unicode = 0; break;
        case OPT_BLOCK: o->force_block = 1; o->force_ascii = 0; break;
        case OPT_NOCOLOR: o->no_color = 1; break;
        case OPT_SIZE: parse_size(o, optarg); break;
        case OPT_RECORD: o->record_path = optarg; break;
        case OPT_SCRIPT: o->script = optarg; break;
        case OPT_GHOST: o->ghost_arg = optarg; break;
        case OPT_SUMMARY: o->summary = 1; break;
        case OPT_CSV: o->csv_path = optarg; break;
        case OPT_FPS:
            if (parse_u64(optarg, &v) || v < 1 || v > 240)
                usage_error("--fps needs a whole number 1..240, got '%s'",
                            optarg);
            o->fps = (int)v;
            break;
        case OPT_AT:
            if (parse_at(o, optarg) != 0)
                usage_error("--at needs a step N or a share P%% of the run "
                            "(0..100), got '%s'", optarg);
            break;
        case OPT_EVERY:
            if (parse_u64(optarg, &o->every))
                usage_error("--every needs a whole number >= 0, got '%s'",
                            optarg);
            o->every_set = 1;
            break;
        case OPT_MODEL: case OPT_SET: case OPT_SEED: case OPT_STEPS:
            if (o->nsets == MAX_SETS)
                usage_error("too many --set options%s", "");
            if (c == OPT_SEED && parse_u64(optarg, &v))
                usage_error("--seed needs a whole number, got '%s'", optarg);
            if (c == OPT_STEPS && (parse_u64(optarg, &v) || v == 0))
                usage_error("--steps needs a whole number >= 1, got '%s'",
                            optarg);
            if (c == OPT_SET && !strchr(optarg, '='))
                usage_error("--set needs KEY=VALUE, got '%s'", optarg);
            snprintf(o->sets[o->nsets++], sizeof o->sets[0], "%s%s",
                     c == OPT_MODEL ? "model=" : c == OPT_SEED ? "seed="
                     : c == OPT_STEPS ? "steps=" : "", optarg);
            break;
        case 'h': case OPT_HELP:
            fputs(usage_text, stdout);
            exit(0);
        case OPT_VERSION:
            printf("sgdscope %s\n", SGDSCOPE_VERSION);
            exit(0);
        case ':':
            usage_error("%s needs a value", argv[optind - 1]);
            break;
        default:
            if (optopt && optopt < 256) {
                char shortopt[3] = {'-', (char)optopt, 0};
                usage_error("unknown option '%s'", shortopt);
            }
            {
                const char *arg = argv[optind - 1];
                const char *near = nearest_option(arg);
                char msg[128];
                if (near)
                    snprintf(msg, sizeof msg,
                             "unknown option '%%s' (did you mean '--%s'?)",
                             near);
                else
                    snprintf(msg, sizeof msg, "unknown option '%%s'");
                usage_error(msg, arg);
            }
        }
    }
    if (argc - optind > 1)
        usage_error("expected one scene, got also '%s'", argv[optind + 1]);
    if (o->list && argc - optind > 0)
        usage_error("--list takes no scene, got '%s'", argv[optind]);
    o->scene_arg = optind < argc ? argv[optind] : NULL;
    if (o->record_path && o->snapshot)
        usage_error("--record and --snapshot do not go together%s", "");
    if (o->headless && o->snapshot)
        usage_error("--snapshot needs no --headless%s", "");
    /* A ghost is drawn: a run without a view has nowhere to draw it. */
    if (o->ghost_arg && o->headless && !o->record_path)
        usage_error("--ghost '%s' needs the view (the app, --snapshot or "
                    "--record), not --headless alone", o->ghost_arg);
    /* The interactive view runs on until q: a stop step means nothing
     * there. */
    if (o->at_arg && !o->headless && !o->snapshot)
        usage_error("--at needs --snapshot or --headless, got '%s' alone",
                    o->at_arg);
}

/* Keys a script or a timeline may press: the app's rule (app.h,
 * app_is_scene_key), which the app also applies to scenes it opens. */
static int is_key(int c)
{
    return app_is_scene_key(c);
}

/* Scene file (a comparison of one or more runs), then
 * --set/--model/--seed/--steps (KEY=V for every run, NAME.KEY=V for one),
 * then --script; every error is reported before anything runs.  Returns
 * 0 or the exit status. */
static int build_scene(comparison *c, const opts *o)
{
    scene_err e;
    comparison_init(c);
    /* The built-in scene has no file to name it: say what it is. */
    if (!o->scene_arg &&
        comparison_set(c, "title = \"built-in scene (m or p: the shipped "
                          "ones)\"", &e) != 0) {
        scene_err_print(&e, stderr);
        return 2;
    }
    if (o->scene_arg) {
        char path[SCENE_PATH_MAX];
        if (scenedir_find(o->scene_arg, path, sizeof path) != 0) {
            fprintf(stderr, "sgdscope: no scene '%s' (looked for a file, then "
                            "in $SGDSCOPE_SCENES, ./scenes and the data "
                            "directory; --list shows them)\n",
                    o->scene_arg);
            return 2;
        }
        if (comparison_load_file(c, path, &e) != 0) {
            scene_err_print(&e, stderr);
            return 2;
        }
    }
    for (size_t i = 0; i < o->nsets; i++)
        if (comparison_set(c, o->sets[i], &e) != 0) {
            scene_err_print(&e, stderr);
            return 2;
        }
    if (comparison_finalize(c, &e) != 0 ||
        comparison_check_keys(c, is_key, app_is_run_key, &e) != 0) {
        scene_err_print(&e, stderr);
        return 2;
    }
    if (o->script) {
        char err[256];
        if (comparison_add_script(c, o->script, is_key, err, sizeof err) !=
            0) {
            fprintf(stderr, "sgdscope: --script: %s\n", err);
            return 2;
        }
    }
    return 0;
}

static glyph_tier file_tier(const opts *o)
{
    return o->force_ascii ? GLYPH_ASCII
           : o->force_block ? GLYPH_BLOCK
                            : GLYPH_BRAILLE;
}

/* One frame at step `at`, as plain text (golden tests, README). */
static int run_snapshot(app *a, const opts *o, uint64_t at)
{
    canvas cv;
    if (canvas_init(&cv, o->size_w, o->size_h, file_tier(o)) != 0)
        return 1;
    a->headless = 1;
    app_run_to(a, at);
    view_draw(&cv, a);
    size_t need = canvas_to_text(&cv, NULL, 0) + 1;
    char *buf = malloc(need);
    int bad = 0;
    if (buf) {
        canvas_to_text(&cv, buf, need);
        errno = 0;
        /* the frame is larger than stdio's buffer: a full disk shows
         * here, and its errno is only known here */
        if (fputs(buf, stdout) == EOF || ferror(stdout)) {
            stdout_error(errno);
            bad = 1;
        }
        free(buf);
    }
    canvas_free(&cv);
    if (!buf) {
        fprintf(stderr, "sgdscope: out of memory\n");
        return 1;
    }
    /* a later write error is reported by close_stdout, on the way out */
    return bad ? 1 : 0;
}

/* A headless recording: the app, as the screen would show it. */
static int run_record(app *a, const opts *o, uint64_t at)
{
    char err[512];
    int rc = recorder_headless(a, o->record_path, o->size_w, o->size_h,
                               file_tier(o),
                               !o->no_color && !getenv("NO_COLOR"), o->fps,
                               at, err, sizeof err);
    if (exitsig_pending())
        return 1; /* main dies of the signal: nothing to say */
    if (rc != 0) {
        /* 2: the file could not be created or is refused (nothing ran);
         * 1: writing failed on the way (nothing is left behind either
         * way) */
        fprintf(stderr, "sgdscope: %s\n", err);
        return rc < 0 ? 2 : 1;
    }
    if (o->summary)
        for (size_t i = 0; i < a->ses->n; i++)
            headless_summary(session_name(a->ses, i),
                             session_run(a->ses, i), stdout);
    return 0;
}

/* CSV rows and/or summaries of every run of the comparison, in lockstep. */
static int run_headless(const comparison *c, const opts *o, uint64_t at)
{
    char err[512];
    session *s = session_create(c, app_run_key, err, sizeof err);
    if (!s) {
        fprintf(stderr, "sgdscope: %s\n", err);
        return 2;
    }
    /* --csv FILE follows the rules of every output (outfile.h); as a
     * stream it may also be a character device or a FIFO, written in
     * place (/dev/null, /dev/stdout, a pipe someone reads). */
    outfile out = {0};
    FILE *csv = NULL;
    int to_stdout = o->csv_path && strcmp(o->csv_path, "-") == 0;
    if (o->csv_path && !to_stdout) {
        if (outfile_open(&out, o->csv_path, OUTFILE_STREAM, err,
                         sizeof err) != 0) {
            fprintf(stderr, "sgdscope: %s\n", err);
            session_destroy(s);
            return 2;
        }
        csv = out.f;
    } else if (to_stdout) {
        csv = stdout;
    }
    /* a headless run with no output would be pointless */
    int summary = o->summary || !o->csv_path;
    /* --every sets the rows only: the metrics' own cadence (band,
     * verdict, curvature) stays the scene's `every` (the first run's
     * when the runs differ) */
    headless_fail failed = {NULL, 0};
    headless_opts ho = {csv, summary ? stdout : NULL,
                        o->every_set ? o->every : c->run[0].every, at,
                        &failed};
    int rc = headless_run(s, &ho);
    session_destroy(s);
    if (rc != 0) {
        /* interrupted (main dies of the signal) or a write failed: the
         * CSV file is not written, and whatever PATH held stays */
        outfile_discard(&out);
        if (exitsig_pending())
            return 1;
        if (failed.stream == stdout)
            stdout_error(failed.err);
        else
            fprintf(stderr, "sgdscope: cannot write '%s': %s\n",
                    o->csv_path, strerror(failed.err ? failed.err : EIO));
        return 1;
    }
    if (csv && csv != stdout && outfile_commit(&out, err, sizeof err) != 0) {
        fprintf(stderr, "sgdscope: %s\n", err);
        return 1;
    }
    return 0;
}

static int run_interactive(app *a, const opts *o)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "sgdscope: no terminal; use --headless to run "
                        "without one\n");
        return 2;
    }
    recorder rec;
    char err[256];
    tui_opts to = {o->fps, o->force_ascii, o->force_unicode, o->force_block,
                   o->no_color, NULL};
    if (o->record_path) {
        int w = o->size_set ? o->size_w : 0, h = o->size_set ? o->size_h : 0;
        if (!w || !h) {
            /* the terminal's own size, read before curses starts */
            const char *cols = getenv("COLUMNS"), *lines = getenv("LINES");
            w = cols ? atoi(cols) : 0;
            h = lines ? atoi(lines) : 0;
            if (w < 1 || h < 1)
                tui_terminal_size(&w, &h);
        }
        char title[SCENE_NAME_MAX * 2 + 16];
        snprintf(title, sizeof title, "sgdscope: %s",
                 a->base.title[0] ? a->base.title : a->base.name);
        /* the recording's glyphs follow the flags and the locale, as the
         * screen's do */
        const char *cs = setlocale(LC_CTYPE, NULL);
        int utf8 = o->force_unicode ||
                   (cs && (strstr(cs, "UTF-8") || strstr(cs, "utf8") ||
                           strstr(cs, "UTF8") || strstr(cs, "utf-8")));
        glyph_tier tier = o->force_ascii || !utf8 ? GLYPH_ASCII
                          : o->force_block        ? GLYPH_BLOCK
                                                  : GLYPH_BRAILLE;
        if (recorder_open(&rec, o->record_path, w, h, tier, title,
                          !o->no_color && !getenv("NO_COLOR"), err,
                          sizeof err) != 0) {
            fprintf(stderr, "sgdscope: %s\n", err);
            return 2;
        }
        to.rec = &rec;
    }
    int rc = tui_run(a, &to);
    if (to.rec) {
        /* Only q finishes a recording: after a terminating signal (or a
         * terminal that could not be set up) it is discarded, and the
         * file at the path keeps what it held. */
        if (rc != 0) {
            recorder_abort(&rec);
        } else if (recorder_close(&rec) != 0) {
            fprintf(stderr, "sgdscope: cannot write '%s': %s\n",
                    o->record_path, strerror(errno));
            rc = 1;
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    static opts o; /* the --set buffers are large: keep them off the stack */
    /* First, so it runs last: after endwin and the temporaries. */
    atexit(close_stdout);
    parse_args(&o, argc, argv);
    /* Numbers in scenes and output always use '.', whatever the locale;
     * the locale only decides the glyphs. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (o.list) {
        if (scenedir_list(stdout) == 0) {
            scenedir_explain(stderr);
            return 1;
        }
        return 0;
    }
    static comparison cmp;
    int rc = build_scene(&cmp, &o);
    if (rc != 0)
        return rc;
    uint64_t at = resolve_at(&o, cmp.run[0].steps);

    /* One BLAS thread: the runs are small, results must not depend on the
     * machine's core count, and the view keeps a core for itself. */
    openblas_set_num_threads(1);

    if (o.headless && !o.record_path) {
        /* Before the CSV's temporary file is made. */
        exitsig_install();
        rc = run_headless(&cmp, &o, at);
        /* interrupted: the outputs are discarded by now; die of it */
        exitsig_reraise();
        return rc;
    }

    /* The view steps every run of the comparison in lockstep. */
    static app a;
    char err[512];
    if (app_open_comparison(&a, &cmp, scenedir_first(), err, sizeof err) !=
        0) {
        fprintf(stderr, "sgdscope: %s\n", err);
        return 2;
    }
    if (o.ghost_arg) {
        char path[SCENE_PATH_MAX], name[COMPARISON_NAME_MAX];
        err[0] = 0;
        if (ghost_split(o.ghost_arg, path, sizeof path, name) != 0 ||
            app_set_ghost(&a, path, name[0] ? name : NULL, err,
                          sizeof err) != 0) {
            fprintf(stderr, "sgdscope: --ghost: %s\n",
                    err[0] ? err : "the path is too long");
            app_close(&a);
            return 2;
        }
    }
    if (o.snapshot) {
        /* No terminal to restore and no file to remove: the default
         * actions of the signals are already the right ones. */
        rc = run_snapshot(&a, &o, at);
    } else {
        /* Before any temporary file or the terminal is touched. */
        exitsig_install();
        rc = o.headless ? run_record(&a, &o, at) : run_interactive(&a, &o);
    }
    app_close(&a);
    /* A terminating signal stopped the run, whose outputs are discarded
     * by now: die of it, so the shell sees 128 + N. */
    exitsig_reraise();
    return rc;
}
