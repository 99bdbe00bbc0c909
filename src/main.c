/* main.c — the command line: parse flags, build the scene, dispatch to
 * the headless runner (and, later, the terminal front end). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include <locale.h>

#include "app.h"
#include "canvas.h"
#include "headless.h"
#include "run.h"
#include "scene.h"
#include "tui.h"
#include "view.h"

#ifndef SGDSCOPE_VERSION
#define SGDSCOPE_VERSION "dev"
#endif
#ifndef SGDSCOPE_DATADIR
#define SGDSCOPE_DATADIR "/usr/local/share/sgdscope"
#endif

#define MAX_SETS 256

static const char usage_text[] =
    "usage: sgdscope [OPTIONS] [SCENE]\n"
    "       sgdscope --headless [SCENE] [--csv FILE|-] [--every N] [--summary]\n"
    "\n"
    "Steps SGD on the toy models of \"SGD with large step sizes learns sparse\n"
    "features\".  SCENE is a path or the name of a shipped scene.\n"
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
    "  --size COLSxROWS  frame size for --snapshot (default 100x30)\n"
    "  --fps N           frames per second of the interactive view (30)\n"
    "  --unicode         braille plots whatever the locale\n"
    "  --ascii           plain ASCII plots\n"
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

static int file_exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* A scene argument is a path, or a name looked up in $SGDSCOPE_SCENES,
 * ./scenes and the installed data directory, with or without ".scene". */
static int find_scene(const char *arg, char *out, size_t outlen)
{
    if (strchr(arg, '/') || file_exists(arg)) {
        snprintf(out, outlen, "%s", arg);
        return file_exists(arg) ? 0 : -1;
    }
    const char *dirs[3] = {getenv("SGDSCOPE_SCENES"), "scenes",
                           SGDSCOPE_DATADIR "/scenes"};
    size_t al = strlen(arg);
    int has_ext = al > 6 && strcmp(arg + al - 6, ".scene") == 0;
    for (int i = 0; i < 3; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(out, outlen, "%s/%s%s", dirs[i], arg,
                 has_ext ? "" : ".scene");
        if (file_exists(out))
            return 0;
    }
    snprintf(out, outlen, "%s", arg);
    return -1;
}

enum { OPT_HEADLESS = 256, OPT_MODEL, OPT_SET, OPT_SEED, OPT_STEPS, OPT_CSV,
       OPT_EVERY, OPT_SUMMARY, OPT_HELP, OPT_VERSION, OPT_SNAPSHOT, OPT_SIZE,
       OPT_FPS, OPT_UNICODE, OPT_ASCII, OPT_NOCOLOR };

static const struct option long_opts[] = {
    {"headless", no_argument, 0, OPT_HEADLESS},
    {"model", required_argument, 0, OPT_MODEL},
    {"set", required_argument, 0, OPT_SET},
    {"seed", required_argument, 0, OPT_SEED},
    {"steps", required_argument, 0, OPT_STEPS},
    {"csv", required_argument, 0, OPT_CSV},
    {"every", required_argument, 0, OPT_EVERY},
    {"summary", no_argument, 0, OPT_SUMMARY},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {"snapshot", no_argument, 0, OPT_SNAPSHOT},
    {"size", required_argument, 0, OPT_SIZE},
    {"fps", required_argument, 0, OPT_FPS},
    {"unicode", no_argument, 0, OPT_UNICODE},
    {"ascii", no_argument, 0, OPT_ASCII},
    {"no-color", no_argument, 0, OPT_NOCOLOR},
    {0, 0, 0, 0}};

int main(int argc, char **argv)
{
    int headless = 0, summary = 0, every_set = 0, snapshot = 0;
    int size_w = 100, size_h = 30, fps = 30, force_ascii = 0,
        force_unicode = 0, no_color = 0;
    const char *csv_path = NULL;
    uint64_t every = 0;
    /* Scene overrides, applied in command-line order after the scene. */
    static char sets[MAX_SETS][512];
    size_t nsets = 0;

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case OPT_HEADLESS: headless = 1; break;
        case OPT_SNAPSHOT: snapshot = 1; break;
        case OPT_UNICODE: force_unicode = 1; force_ascii = 0; break;
        case OPT_ASCII: force_ascii = 1; force_unicode = 0; break;
        case OPT_NOCOLOR: no_color = 1; break;
        case OPT_SIZE: {
            char *x;
            long w = strtol(optarg, &x, 10), h = 0;
            if (x != optarg && (*x == 'x' || *x == 'X')) {
                char *end;
                h = strtol(x + 1, &end, 10);
                if (*end || end == x + 1)
                    h = 0;
            }
            if (w < 1 || h < 1 || w > 1000 || h > 1000)
                usage_error("--size needs COLSxROWS, each 1..1000, got '%s'",
                            optarg);
            size_w = (int)w;
            size_h = (int)h;
            break;
        }
        case OPT_FPS:
            if (parse_u64(optarg, &v) || v < 1 || v > 240)
                usage_error("--fps needs a whole number 1..240, got '%s'",
                            optarg);
            fps = (int)v;
            break;
        case OPT_SUMMARY: summary = 1; break;
        case OPT_CSV: csv_path = optarg; break;
        case OPT_EVERY:
            if (parse_u64(optarg, &every))
                usage_error("--every needs a whole number >= 0, got '%s'",
                            optarg);
            every_set = 1;
            break;
        case OPT_MODEL: case OPT_SET: case OPT_SEED: case OPT_STEPS:
            if (nsets == MAX_SETS)
                usage_error("too many --set options%s", "");
            if ((c == OPT_SEED || c == OPT_STEPS) && parse_u64(optarg, &v))
                usage_error(c == OPT_SEED ? "--seed needs a whole number, "
                                            "got '%s'"
                                          : "--steps needs a whole number, "
                                            "got '%s'",
                            optarg);
            if (c == OPT_SET && !strchr(optarg, '='))
                usage_error("--set needs KEY=VALUE, got '%s'", optarg);
            snprintf(sets[nsets++], sizeof sets[0], "%s%s",
                     c == OPT_MODEL ? "model=" : c == OPT_SEED ? "seed="
                     : c == OPT_STEPS ? "steps=" : "", optarg);
            break;
        case 'h': case OPT_HELP:
            fputs(usage_text, stdout);
            return 0;
        case OPT_VERSION:
            printf("sgdscope %s\n", SGDSCOPE_VERSION);
            return 0;
        case ':':
            usage_error("%s needs a value", argv[optind - 1]);
            break;
        default:
            if (optopt)
                usage_error("unknown option '-%c'",
                            (const char[]){(char)optopt, 0});
            usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        usage_error("expected one scene, got also '%s'", argv[optind + 1]);

    scene sc;
    scene_init(&sc);
    scene_err e;
    if (optind < argc) {
        char path[SCENE_PATH_MAX];
        if (find_scene(argv[optind], path, sizeof path) != 0) {
            fprintf(stderr, "sgdscope: no scene '%s' (looked for a file, "
                            "then in ./scenes and %s/scenes)\n",
                    argv[optind], SGDSCOPE_DATADIR);
            return 2;
        }
        if (scene_load_file(&sc, path, &e) != 0) {
            scene_err_print(&e, stderr);
            return 2;
        }
    }
    for (size_t i = 0; i < nsets; i++)
        if (scene_set(&sc, sets[i], &e) != 0) {
            scene_err_print(&e, stderr);
            return 2;
        }
    if (scene_finalize(&sc, &e) != 0) {
        scene_err_print(&e, stderr);
        return 2;
    }
    if (every_set)
        sc.every = every;

    /* One BLAS thread: the runs are small, results must not depend on
     * the machine's core count, and the UI must keep a core for itself. */
    openblas_set_num_threads(1);

    if (snapshot || !headless) {
        const char *dir = getenv("SGDSCOPE_SCENES");
        if (!dir || !*dir)
            dir = access("scenes", R_OK) == 0 ? "scenes"
                                               : SGDSCOPE_DATADIR "/scenes";
        app a;
        char err[256];
        if (!snapshot && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
            fprintf(stderr, "sgdscope: no terminal; use --headless to run "
                            "without one\n");
            return 2;
        }
        if (app_open(&a, &sc, dir, err, sizeof err) != 0) {
            fprintf(stderr, "sgdscope: %s\n", err);
            return 2;
        }
        int rc = 0;
        if (snapshot) {
            /* One frame after N steps, as plain text: the golden-frame
             * tests and the README use it. */
            setlocale(LC_ALL, "");
            glyph_tier tier = force_ascii ? GLYPH_ASCII : GLYPH_BRAILLE;
            canvas cv;
            if (canvas_init(&cv, size_w, size_h, tier) != 0) {
                app_close(&a);
                return 1;
            }
            app_run_to(&a, sc.steps);
            view_draw(&cv, &a);
            size_t need = canvas_to_text(&cv, NULL, 0) + 1;
            char *buf = malloc(need);
            if (buf) {
                canvas_to_text(&cv, buf, need);
                fputs(buf, stdout);
                free(buf);
            }
            canvas_free(&cv);
            rc = buf && fflush(stdout) == 0 ? 0 : 1;
        } else {
            setlocale(LC_ALL, "");
            tui_opts to = {fps, force_ascii, force_unicode, no_color};
            rc = tui_run(&a, &to);
        }
        app_close(&a);
        return rc;
    }
    if (!csv_path && !summary)
        summary = 1; /* a headless run with no output would be pointless */

    char err[256];
    run *r = run_create(&sc, err, sizeof err);
    if (!r) {
        fprintf(stderr, "sgdscope: %s\n", err);
        return 2;
    }
    FILE *csv = NULL;
    if (csv_path) {
        csv = strcmp(csv_path, "-") == 0 ? stdout : fopen(csv_path, "w");
        if (!csv) {
            fprintf(stderr, "sgdscope: cannot write '%s': %s\n", csv_path,
                    strerror(errno));
            run_destroy(r);
            return 2;
        }
    }
    headless_opts o = {csv, summary ? stdout : NULL, sc.every};
    int rc = headless_run(r, &o);
    if (csv && csv != stdout && fclose(csv) != 0)
        rc = -1;
    run_destroy(r);
    if (rc != 0) {
        fprintf(stderr, "sgdscope: writing output failed\n");
        return 1;
    }
    return 0;
}
