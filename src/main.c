/* main.c — the command line: parse flags, build the scene, then run the
 * interactive view, a headless run, a snapshot or a headless recording. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "app.h"
#include "canvas.h"
#include "headless.h"
#include "record.h"
#include "scene.h"
#include "scenedir.h"
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
    "       sgdscope --snapshot [SCENE] --steps N [--size COLSxROWS]\n"
    "       sgdscope --headless --record FILE.cast [--size COLSxROWS] "
    "--steps N [SCENE]\n"
    "\n"
    "Steps SGD on the toy models of \"SGD with large step sizes learns sparse\n"
    "features\".  SCENE is a path or the name of a shipped scene (--list).\n"
    "\n"
    "  --headless        run without a terminal; print CSV and/or a summary\n"
    "  --model NAME      quad1d, diagnet or relu1d (same as --set model=NAME)\n"
    "  --set KEY=VALUE   set any scene field; repeatable, applied after SCENE\n"
    "  --seed N          random seed (same as --set seed=N)\n"
    "  --steps N         run length (same as --set steps=N)\n"
    "  --csv FILE|-      write metrics as CSV to FILE or stdout\n"
    "  --every N         a CSV row every N steps (0: only at the end)\n"
    "  --summary         print one JSON object with the final metrics\n"
    "  --snapshot        print one frame as plain text after --steps and exit\n"
    "  --size COLSxROWS  frame size for --snapshot and --record (100x30)\n"
    "  --record FILE     record the session as asciicast v2 (FILE.cast)\n"
    "  --script SCRIPT   press keys at steps: 'STEP:KEY STEP:KEY ...'\n"
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
    "1 runtime failure, 2 bad usage or a bad scene.\n";

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
    uint64_t every;
    char sets[MAX_SETS][512]; /* scene overrides, in command-line order */
    size_t nsets;
} opts;

enum { OPT_HEADLESS = 256, OPT_MODEL, OPT_SET, OPT_SEED, OPT_STEPS, OPT_CSV,
       OPT_EVERY, OPT_SUMMARY, OPT_HELP, OPT_VERSION, OPT_SNAPSHOT, OPT_SIZE,
       OPT_FPS, OPT_UNICODE, OPT_ASCII, OPT_NOCOLOR, OPT_RECORD, OPT_SCRIPT,
       OPT_LIST, OPT_BLOCK };

static const struct option long_opts[] = {
    {"headless", no_argument, 0, OPT_HEADLESS},
    {"model", required_argument, 0, OPT_MODEL},
    {"set", required_argument, 0, OPT_SET},
    {"seed", required_argument, 0, OPT_SEED},
    {"steps", required_argument, 0, OPT_STEPS},
    {"csv", required_argument, 0, OPT_CSV},
    {"every", required_argument, 0, OPT_EVERY},
    {"summary", no_argument, 0, OPT_SUMMARY},
    {"snapshot", no_argument, 0, OPT_SNAPSHOT},
    {"size", required_argument, 0, OPT_SIZE},
    {"record", required_argument, 0, OPT_RECORD},
    {"script", required_argument, 0, OPT_SCRIPT},
    {"list", no_argument, 0, OPT_LIST},
    {"fps", required_argument, 0, OPT_FPS},
    {"unicode", no_argument, 0, OPT_UNICODE},
    {"ascii", no_argument, 0, OPT_ASCII},
    {"block", no_argument, 0, OPT_BLOCK},
    {"no-color", no_argument, 0, OPT_NOCOLOR},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0}};

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
        case OPT_SUMMARY: o->summary = 1; break;
        case OPT_CSV: o->csv_path = optarg; break;
        case OPT_FPS:
            if (parse_u64(optarg, &v) || v < 1 || v > 240)
                usage_error("--fps needs a whole number 1..240, got '%s'",
                            optarg);
            o->fps = (int)v;
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
            usage_error("unknown option '%s'", argv[optind - 1]);
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
}

/* Keys a script or a timeline may press: any of the key table but `m`,
 * which replaces the scene (and so the timeline) it was pressed from. */
static int is_key(int c)
{
    int act = app_key_action(c);
    return act >= 0 && act != ACT_NEXT_SCENE;
}

/* Scene file, then --set/--model/--seed/--steps, then --script; every
 * error is reported before anything runs.  Returns 0 or the exit status. */
static int build_scene(scene *sc, const opts *o)
{
    scene_err e;
    scene_init(sc);
    if (o->scene_arg) {
        char path[SCENE_PATH_MAX];
        if (scenedir_find(o->scene_arg, path, sizeof path) != 0) {
            fprintf(stderr, "sgdscope: no scene '%s' (looked for a file, then "
                            "in $SGDSCOPE_SCENES, ./scenes and the data "
                            "directory; --list shows them)\n",
                    o->scene_arg);
            return 2;
        }
        if (scene_load_file(sc, path, &e) != 0) {
            scene_err_print(&e, stderr);
            return 2;
        }
    }
    for (size_t i = 0; i < o->nsets; i++)
        if (scene_set(sc, o->sets[i], &e) != 0) {
            scene_err_print(&e, stderr);
            return 2;
        }
    if (scene_finalize(sc, &e) != 0 || scene_check_keys(sc, is_key, &e) != 0) {
        scene_err_print(&e, stderr);
        return 2;
    }
    if (o->script) {
        char err[256];
        if (timeline_parse_script(&sc->tl, o->script, is_key, err,
                                  sizeof err) != 0) {
            fprintf(stderr, "sgdscope: --script: %s\n", err);
            return 2;
        }
    }
    if (o->every_set)
        sc->every = o->every;
    return 0;
}

static glyph_tier file_tier(const opts *o)
{
    return o->force_ascii ? GLYPH_ASCII
           : o->force_block ? GLYPH_BLOCK
                            : GLYPH_BRAILLE;
}

/* One frame after --steps steps, as plain text (golden tests, README). */
static int run_snapshot(app *a, const opts *o)
{
    canvas cv;
    if (canvas_init(&cv, o->size_w, o->size_h, file_tier(o)) != 0)
        return 1;
    a->headless = 1;
    app_run_to(a, a->base.steps);
    view_draw(&cv, a);
    size_t need = canvas_to_text(&cv, NULL, 0) + 1;
    char *buf = malloc(need);
    if (buf) {
        canvas_to_text(&cv, buf, need);
        fputs(buf, stdout);
        free(buf);
    }
    canvas_free(&cv);
    return buf && fflush(stdout) == 0 ? 0 : 1;
}

static int run_headless(app *a, const opts *o)
{
    char err[256];
    if (o->record_path) {
        int rc = recorder_headless(a, o->record_path, o->size_w, o->size_h,
                                   file_tier(o),
                                   !o->no_color && !getenv("NO_COLOR"),
                                   o->fps, a->base.steps, err, sizeof err);
        if (rc != 0) {
            /* 2: the file could not be created (nothing ran); 1: writing
             * failed on the way (nothing is left behind either way) */
            fprintf(stderr, "sgdscope: %s\n", err);
            return rc < 0 ? 2 : 1;
        }
        if (o->summary)
            headless_summary(a->r, stdout);
        return 0;
    }
    FILE *csv = NULL;
    if (o->csv_path) {
        csv = strcmp(o->csv_path, "-") == 0 ? stdout : fopen(o->csv_path, "w");
        if (!csv) {
            fprintf(stderr, "sgdscope: cannot write '%s': %s\n", o->csv_path,
                    strerror(errno));
            return 2;
        }
    }
    /* a headless run with no output would be pointless */
    int summary = o->summary || !o->csv_path;
    headless_opts ho = {csv, summary ? stdout : NULL, a->base.every};
    int rc = headless_run(a, &ho);
    if (csv && csv != stdout && fclose(csv) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "sgdscope: writing output failed\n");
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
    if (to.rec && recorder_close(&rec) != 0) {
        fprintf(stderr, "sgdscope: writing '%s' failed\n", o->record_path);
        if (rc == 0)
            rc = 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    static opts o; /* the --set buffers are large: keep them off the stack */
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
    static scene sc;
    int rc = build_scene(&sc, &o);
    if (rc != 0)
        return rc;

    /* One BLAS thread: the runs are small, results must not depend on the
     * machine's core count, and the view keeps a core for itself. */
    openblas_set_num_threads(1);

    static app a;
    char err[256];
    if (app_open(&a, &sc, scenedir_first(), err, sizeof err) != 0) {
        fprintf(stderr, "sgdscope: %s\n", err);
        return 2;
    }
    if (o.snapshot)
        rc = run_snapshot(&a, &o);
    else if (o.headless)
        rc = run_headless(&a, &o);
    else
        rc = run_interactive(&a, &o);
    app_close(&a);
    return rc;
}
