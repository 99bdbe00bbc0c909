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
#include "comparison.h"
#include "exitsig.h"
#include "ghost.h"
#include "headless.h"
#include "kernels.h"
#include "outfile.h"
#include "record.h"
#include "sanitize.h"
#include "scene.h"
#include "scenedir.h"
#include "session.h"
#include "sweepcli.h"
#include "timeline.h"
#include "tui.h"
#include "view.h"

#ifndef SGDSCOPE_VERSION
#define SGDSCOPE_VERSION "dev"
#endif

/* The run functions below read the options under a short name. */
typedef cli_opts opts;

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

/* A bad command line: the reason (sanitized by cli.c), the usage, exit 2. */
static void usage_error(const char *reason)
{
    fprintf(stderr, "sgdscope: %s\n\n%s", reason, cli_usage);
    exit(2);
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
            char shown[SCENE_PATH_MAX];
            sanitize_text(shown, sizeof shown, o->scene_arg);
            fprintf(stderr, "sgdscope: no scene '%s' (looked for a file, then "
                            "in $SGDSCOPE_SCENES, ./scenes and the data "
                            "directory; --list shows them)\n",
                    shown);
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
        else {
            char shown[SCENE_PATH_MAX];
            sanitize_text(shown, sizeof shown, o->csv_path);
            fprintf(stderr, "sgdscope: cannot write '%s': %s\n", shown,
                    strerror(failed.err ? failed.err : EIO));
        }
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
            char shown[SCENE_PATH_MAX];
            sanitize_text(shown, sizeof shown, o->record_path);
            fprintf(stderr, "sgdscope: cannot write '%s': %s\n", shown,
                    strerror(errno));
            rc = 1;
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    static opts o; /* the --set buffers are large: keep them off the stack */
    /* First, so it runs last: after endwin and the temporaries (and a
     * --help or --version to a full disk is an error too). */
    atexit(close_stdout);
    char why[512];
    switch (cli_parse(&o, argc, argv, why, sizeof why)) {
    case CLI_RUN: break;
    case CLI_HELP: fputs(cli_usage, stdout); return 0;
    case CLI_VERSION:
        /* the kernels' level changes the speed only (kernels.h), but a
         * user comparing two machines' speeds wants to see it */
        printf("sgdscope %s\nSGD kernels: %s (best on this CPU: %s)\n",
               SGDSCOPE_VERSION, kernels_name(), kernels_best());
        return 0;
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
    if (o.sweep_arg) {
        openblas_set_num_threads(1);
        return sweepcli_run(&o);
    }
    if (o.map_path)
        return sweepcli_map(&o);
    static comparison cmp;
    int rc = build_scene(&cmp, &o);
    if (rc != 0)
        return rc;
    uint64_t at;
    if (cli_resolve_at(&o, cmp.run[0].steps, &at, why, sizeof why) != 0)
        usage_error(why);

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
