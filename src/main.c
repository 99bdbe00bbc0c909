/* main.c — the command line: parse flags, build the scene, then run the
 * interactive view, a headless run, a snapshot or a headless recording. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "app.h"
#include "canvas.h"
#include "cli.h"
#include "headless.h"
#include "record.h"
#include "sanitize.h"
#include "scene.h"
#include "scenedir.h"
#include "timeline.h"
#include "tui.h"
#include "view.h"

#ifndef SGDSCOPE_VERSION
#define SGDSCOPE_VERSION "dev"
#endif

/* The run functions below read the options under a short name. */
typedef cli_opts opts;

/* A bad command line: the reason (sanitized by cli.c), the usage, exit 2. */
static void usage_error(const char *reason)
{
    fprintf(stderr, "sgdscope: %s\n\n%s", reason, cli_usage);
    exit(2);
}

/* Keys a script or a timeline may press: any of the key table but those
 * that replace the scene (and so the timeline) they were pressed from
 * (m, M, p), wait for a person to type (:), or write a file (e: a scene
 * is shared between people and must not write into their directory). */
static int is_key(int c)
{
    int act = app_key_action(c);
    return act >= 0 && act != ACT_NEXT_SCENE && act != ACT_PREV_SCENE &&
           act != ACT_PICKER && act != ACT_PROMPT && act != ACT_EXPORT;
}

/* Scene file, then --set/--model/--seed/--steps, then --script; every
 * error is reported before anything runs.  Returns 0 or the exit status. */
static int build_scene(scene *sc, const opts *o)
{
    scene_err e;
    scene_init(sc);
    /* The built-in scene has no file to name it: say what it is. */
    if (!o->scene_arg &&
        scene_set(sc, "title = \"built-in scene (m or p: the shipped "
                      "ones)\"", &e) != 0) {
        scene_err_print(&e, stderr);
        return 2;
    }
    if (o->scene_arg) {
        char path[SCENE_PATH_MAX];
        if (scenedir_find(o->scene_arg, path, sizeof path) != 0) {
            char shown[SCENE_PATH_MAX];
            sanitize_text(shown, sizeof shown, o->scene_arg);
            fprintf(stderr, "sgdscope: no scene '%s' (looked for a file, then "
                            "in $SGDSCOPE_SCENES, ./scenes and the data "
                            "directory; --list shows them)\n",
                    shown);
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
    if (buf) {
        canvas_to_text(&cv, buf, need);
        fputs(buf, stdout);
        free(buf);
    }
    canvas_free(&cv);
    return buf && fflush(stdout) == 0 ? 0 : 1;
}

static int run_headless(app *a, const opts *o, uint64_t at)
{
    char err[256];
    if (o->record_path) {
        int rc = recorder_headless(a, o->record_path, o->size_w, o->size_h,
                                   file_tier(o),
                                   !o->no_color && !getenv("NO_COLOR"),
                                   o->fps, at, err, sizeof err);
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
    /* --every sets the rows only: the metrics' own cadence (band,
     * verdict, curvature) stays the scene's `every` */
    headless_opts ho = {csv, summary ? stdout : NULL,
                        o->every_set ? o->every : a->base.every, at};
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
    /* 2: the terminal was unusable and nothing ran: nothing to keep */
    if (to.rec && rc == 2)
        recorder_abort(&rec);
    else if (to.rec && recorder_close(&rec) != 0) {
        fprintf(stderr, "sgdscope: writing '%s' failed\n", o->record_path);
        if (rc == 0)
            rc = 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    static opts o; /* the --set buffers are large: keep them off the stack */
    char why[512];
    switch (cli_parse(&o, argc, argv, why, sizeof why)) {
    case CLI_RUN: break;
    case CLI_HELP: fputs(cli_usage, stdout); return 0;
    case CLI_VERSION: printf("sgdscope %s\n", SGDSCOPE_VERSION); return 0;
    case CLI_ERROR: usage_error(why);
    }
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
    uint64_t at;
    if (cli_resolve_at(&o, sc.steps, &at, why, sizeof why) != 0)
        usage_error(why);

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
        rc = run_snapshot(&a, &o, at);
    else if (o.headless)
        rc = run_headless(&a, &o, at);
    else
        rc = run_interactive(&a, &o);
    app_close(&a);
    return rc;
}
