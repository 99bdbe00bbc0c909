/* sweepcli.c — --sweep and --map on the command line; see sweepcli.h. */
#include "sweepcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "comparison.h"
#include "exitsig.h"
#include "grid.h"
#include "regfile.h"
#include "sanitize.h"
#include "scenedir.h"
#include "sweep.h"
#include "sweeplog.h"
#include "sweepmap.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The scene a sweep file names: beside the sweep file first, then where
 * scenes are looked for.  Returns 0 or −1. */
static int find_scene(const grid *g, char *path, size_t len)
{
    if (g->scene_dir[0] && g->scene[0] != '/') {
        const char *ext[] = {"", ".scene"};
        for (int i = 0; i < 2; i++) {
            int k = snprintf(path, len, "%.255s/%.240s%s", g->scene_dir,
                             g->scene, ext[i]);
            if (k > 0 && (size_t)k < len && access(path, R_OK) == 0)
                return 0;
        }
    }
    return scenedir_find(g->scene, path, len);
}

int sweepcli_run(const cli_opts *o)
{
    static grid g;
    static comparison base;
    grid_init(&g);
    scene_err e;
    char why[512];
    int col = 0, rc = 2;
    char path[SCENE_PATH_MAX];
    char *text = NULL;
    if (ends_with(o->sweep_arg, ".sweep")) {
        char spath[SCENE_PATH_MAX];
        scenedir_find(o->sweep_arg, spath, sizeof spath);
        if (grid_load_file(&g, spath, &e) != 0) {
            scene_err_print(&e, stderr);
            goto out;
        }
        if (find_scene(&g, path, sizeof path) != 0) {
            char shown[SCENE_PATH_MAX];
            sanitize_text(shown, sizeof shown, g.scene);
            fprintf(stderr, "sgdscope: the sweep's scene '%s' is not found "
                            "(beside the sweep file, then as --list "
                            "looks)\n", shown);
            goto out;
        }
    } else {
        snprintf(g.scene, sizeof g.scene, "%s", o->sweep_arg);
        if (scenedir_find(o->sweep_arg, path, sizeof path) != 0) {
            char shown[SCENE_PATH_MAX];
            sanitize_text(shown, sizeof shown, o->sweep_arg);
            fprintf(stderr, "sgdscope: no scene '%s' (--list shows the "
                            "shipped ones)\n", shown);
            goto out;
        }
    }
    for (size_t i = 0; i < o->nvary; i++)
        if (grid_add_vary(&g, o->vary[i], why, sizeof why, &col) != 0) {
            char shown[600];
            sanitize_text(shown, sizeof shown, o->vary[i]);
            fprintf(stderr, "sgdscope: --vary '%s', at column %d: %s\n",
                    shown, col + 1, why);
            goto out;
        }
    if (o->seeds_arg &&
        grid_set_seeds(&g, o->seeds_arg, why, sizeof why, &col) != 0) {
        char shown[600];
        sanitize_text(shown, sizeof shown, o->seeds_arg);
        fprintf(stderr, "sgdscope: --seeds '%s', at column %d: %s\n", shown,
                col + 1, why);
        goto out;
    }
    comparison_init(&base);
    if (comparison_load_file(&base, path, &e) != 0) {
        scene_err_print(&e, stderr);
        goto out;
    }
    for (size_t i = 0; i < g.nsets; i++)
        if (comparison_set(&base, g.sets[i], &e) != 0) {
            scene_err_print(&e, stderr);
            goto out;
        }
    for (size_t i = 0; i < o->nsets; i++)
        if (comparison_set(&base, o->sets[i], &e) != 0) {
            scene_err_print(&e, stderr);
            goto out;
        }
    if (sweep_check(&base, &g, &e, why, sizeof why) != 0) {
        if (why[0])
            fprintf(stderr, "sgdscope: %s\n", why);
        if (e.msg[0])
            scene_err_print(&e, stderr);
        goto out;
    }
    /* the fingerprint: the scene's bytes, the command line's --set, the
     * grid (its own set lines, axes and seeds) */
    size_t len = 0;
    if (regfile_read(path, 1 << 22, &text, &len, why, sizeof why) !=
        REGFILE_OK) {
        fprintf(stderr, "sgdscope: reading the scene again: %s\n", why);
        goto out;
    }
    for (size_t i = 0; i < o->nsets; i++) {
        size_t k = strlen(o->sets[i]) + 1;
        char *nt = realloc(text, len + k);
        if (!nt)
            goto out;
        text = nt;
        memcpy(text + len, o->sets[i], k);
        len += k;
    }
    long np = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = o->jobs ? o->jobs
                    : np < 1 ? 1 : np > CLI_MAX_JOBS ? CLI_MAX_JOBS
                                                    : (unsigned)np;
    sweep_opts so = {o->out_path, jobs, o->sorted, o->shard_k, o->shard_n,
                     isatty(STDERR_FILENO), grid_fingerprint(&g, text, len),
                     NULL};
    exitsig_install();
    rc = sweep_run(&base, &g, &so, why, sizeof why);
    if (rc == 3) {
        exitsig_reraise();
        rc = 1;
    }
    if (rc != 0 && why[0])
        fprintf(stderr, "sgdscope: %s\n", why);
out:
    free(text);
    grid_free(&g);
    return rc;
}

int sweepcli_map(const cli_opts *o)
{
    static sweep_log l;
    char err[1024], shown[1100];
    if (sweeplog_read(&l, o->map_path, err, sizeof err) != 0) {
        sanitize_text(shown, sizeof shown, err);
        fprintf(stderr, "sgdscope: %s\n", shown);
        return 2;
    }
    sweepmap_opts mo = {80, o->force_ascii, 0, SWEEPLOG_TEST_LOSS, o->xkey,
                        o->ykey};
    if (o->metric && (mo.metric = sweeplog_metric_find(o->metric)) < 0) {
        sanitize_text(shown, sizeof shown, o->metric);
        fprintf(stderr, "sgdscope: --metric '%s' is not one of test_loss, "
                        "train_loss, l0, rank, feature_sparsity, diverged, "
                        "verdict\n", shown);
        sweeplog_free(&l);
        return 2;
    }
    /* the terminal's width and colour when stdout is one */
    const char *cols = getenv("COLUMNS");
    if (cols && atoi(cols) >= 40)
        mo.width = atoi(cols);
    else if (isatty(STDOUT_FILENO)) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
            mo.width = ws.ws_col;
    }
    if (mo.width > 1000)
        mo.width = 1000;
    mo.color = isatty(STDOUT_FILENO) && !o->no_color && !getenv("NO_COLOR");
    /* a terminal without UTF-8 gets ASCII */
    const char *cs = setlocale(LC_CTYPE, NULL);
    if (!o->force_unicode && !(cs && (strstr(cs, "UTF-8") || strstr(cs, "utf8") ||
                                      strstr(cs, "UTF8") || strstr(cs, "utf-8"))))
        mo.ascii = 1;
    int rc = sweepmap_print(&l, &mo, stdout, err, sizeof err);
    if (rc != 0) {
        sanitize_text(shown, sizeof shown, err);
        fprintf(stderr, "sgdscope: --map: %s\n", shown);
    }
    sweeplog_free(&l);
    return rc ? 2 : 0;
}
