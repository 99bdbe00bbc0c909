/* mapscreen.c — the stability map's keys and sweep; see mapscreen.h. */
#include "mapscreen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapjob.h"

/* The metrics Tab steps through (the diverged share has its own bars). */
static const int metrics[] = {SWEEPLOG_TEST_LOSS, SWEEPLOG_TRAIN_LOSS,
                              SWEEPLOG_L0, SWEEPLOG_RANK,
                              SWEEPLOG_FEATURE_SPARSITY, SWEEPLOG_VERDICT};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static unsigned workers(const app *a)
{
    if (a->map_workers)
        return a->map_workers;
    /* leave a processor to the live run and the screen */
    long np = sysconf(_SC_NPROCESSORS_ONLN);
    return np > 2 ? (unsigned)(np - 1 > 32 ? 32 : np - 1) : 1;
}

/* Starts the sweep of sc (seeds from seed0) over [lo, hi]; says why
 * not. */
static int start(app *a, const scene *sc, uint64_t seed0, size_t nseed,
                 double lo, double hi, size_t neta)
{
    if (!a->mj) {
        a->mj = malloc(sizeof *a->mj);
        if (!a->mj) {
            app_message(a, "no map: out of memory");
            return -1;
        }
        mapjob_init(a->mj);
    }
    if (mapjob_start(a->mj, sc, lo, hi, neta, seed0, nseed, workers(a),
                     a->now) != 0) {
        app_message(a, "no map: %s", a->mj->err);
        return -1;
    }
    snprintf(a->mj->run, sizeof a->mj->run, "%s", a->run_name);
    a->map_x = a->mj->neta / 2;
    a->map_y = 0;
    return 0;
}

void mapscreen_open(app *a)
{
    mapjob *m = a->mj;
    int mine = m && m->state != MAPJOB_IDLE &&
               strcmp(m->scene, a->r->sc.name) == 0 &&
               strcmp(m->run, a->run_name) == 0;
    if (!mine) {
        /* η from half to one and a half times the run's: wide enough to
         * hold the edge of the shipped scenes, z narrows it */
        const scene *sc = &a->r->sc;
        if (start(a, sc, sc->seed, MAPJOB_DEFAULT_SEEDS, 0.5 * sc->sched.eta0,
                  1.5 * sc->sched.eta0, MAPJOB_DEFAULT_ETA) != 0)
            return;
    }
    a->map = 1;
}

int mapscreen_open_grid(app *a, double lo, double hi, size_t neta,
                        uint64_t seed0, size_t nseed)
{
    if (start(a, &a->r->sc, seed0, nseed, lo, hi, neta) != 0)
        return -1;
    a->map = 1;
    return 0;
}

/* The same map's sweep again over [lo, hi]: its own scene and seeds
 * (not the run on screen, which may be one of its cells). */
static int restart(app *a, double lo, double hi, size_t neta)
{
    mapjob *m = a->mj;
    scene *sc = malloc(sizeof *sc);
    if (!sc) {
        app_message(a, "no map: out of memory");
        return -1;
    }
    *sc = m->base->run[0];
    char name[COMPARISON_NAME_MAX];
    snprintf(name, sizeof name, "%s", m->run);
    int rc = start(a, sc, m->seed[0], m->nseed, lo, hi, neta);
    free(sc);
    if (rc == 0)
        snprintf(a->mj->run, sizeof a->mj->run, "%s", name);
    return rc;
}

/* z and Z: the range halved around the cursor's η, or doubled around
 * the range's middle. */
static void zoom(app *a, int in)
{
    mapjob *m = a->mj;
    double lo = m->eta[0], hi = m->eta[m->neta - 1], w = hi - lo;
    double c = in ? m->eta[a->map_x] : 0.5 * (lo + hi);
    double nw = in ? w / 2 : w * 2;
    if (in && nw < 1e-6 * c) {
        app_message(a, "the map is as narrow as it goes");
        return;
    }
    double nlo = c - nw / 2, nhi = c + nw / 2;
    if (nlo <= 0) { /* η stays positive: shift the window up */
        nhi -= nlo - c * 1e-3;
        nlo = c * 1e-3;
    }
    if (restart(a, nlo, nhi, m->neta) == 0) {
        char l[24], h[24];
        snprintf(l, sizeof l, "%.4g", a->mj->eta[0]);
        snprintf(h, sizeof h, "%.4g", a->mj->eta[a->mj->neta - 1]);
        app_message(a, "zoomed %s: η %s to %s", in ? "in" : "out", l, h);
    }
}

/* The next metric in the cycle that some finished cell has a value of. */
static void next_metric(app *a, int dir)
{
    size_t k = 0;
    while (k < NMETRICS && metrics[k] != a->map_metric)
        k++;
    if (k == NMETRICS)
        k = 0;
    const mapjob *m = a->mj;
    for (size_t step = 1; step <= NMETRICS; step++) {
        size_t i = (k + NMETRICS + (size_t)dir * step) % NMETRICS;
        int mt = metrics[i], any = mt == SWEEPLOG_VERDICT || m->done == 0;
        for (size_t j = 0; j < m->total && !any; j++)
            any = m->cell[j].done && isfinite(m->cell[j].rec.metric[mt]);
        if (any) {
            a->map_metric = mt;
            return;
        }
    }
}

/* Enter: the cell's run as the session. */
static void open_cell(app *a)
{
    mapjob *m = a->mj;
    comparison *c = malloc(sizeof *c);
    scene_err e;
    char err[256];
    if (!c) {
        app_message(a, "cannot open the run: out of memory");
        return;
    }
    if (mapjob_cell_scene(m, a->map_x, a->map_y, c, &e) != 0) {
        app_message(a, "cannot open the run: %s", e.msg);
        free(c);
        return;
    }
    if (app_open_run(a, c, err, sizeof err) != 0) {
        app_message(a, "cannot open the run: %s", err);
        free(c);
        return;
    }
    free(c);
    /* the map stays this run's: S comes back to it */
    snprintf(m->run, sizeof m->run, "%s", a->run_name);
    a->map = 0;
    app_message(a, "the map's run: η %s, seed %llu (S: back to the map)",
                m->eta_text[a->map_x], (unsigned long long)m->seed[a->map_y]);
}

void mapscreen_key(app *a, int key)
{
    mapjob *m = a->mj;
    if (!m || m->neta == 0) {
        a->map = 0;
        return;
    }
    switch (key) {
    case APP_KEY_LEFT: case 'h':
        if (a->map_x > 0)
            a->map_x--;
        break;
    case APP_KEY_RIGHT: case 'l':
        if (a->map_x + 1 < m->neta)
            a->map_x++;
        break;
    case APP_KEY_UP: case 'k':
        if (a->map_y > 0)
            a->map_y--;
        break;
    case APP_KEY_DOWN: case 'j':
        if (a->map_y + 1 < m->nseed)
            a->map_y++;
        break;
    case APP_KEY_HOME: case 'g':
        a->map_x = 0;
        break;
    case APP_KEY_END: case 'G':
        a->map_x = m->neta - 1;
        break;
    case APP_KEY_TAB:
        next_metric(a, 1);
        break;
    case APP_KEY_BTAB:
        next_metric(a, -1);
        break;
    case 'z':
        zoom(a, 1);
        break;
    case 'Z':
        zoom(a, 0);
        break;
    case 'r': {
        double lo = m->eta[0], hi = m->eta[m->neta - 1];
        size_t x = a->map_x, y = a->map_y;
        if (restart(a, lo, hi, m->neta) == 0) {
            a->map_x = x;
            a->map_y = y;
            app_message(a, "the map's sweep runs again");
        }
        break;
    }
    case APP_KEY_ENTER: case '\r':
        open_cell(a);
        break;
    case '?': case APP_KEY_F1:
        a->help = 1;
        break;
    case APP_KEY_F10:
        a->quit = 1;
        break;
    case APP_KEY_ESC: case 'q': case 'S':
        a->map = 0;
        if (m->state == MAPJOB_RUNNING)
            app_message(a, "the map goes on in the background: %zu of %zu "
                        "runs (S shows it)", m->done, m->total);
        break;
    default:
        break;
    }
}

int app_wait_fd(const app *a)
{
    return a->mj ? mapjob_fd(a->mj) : -1;
}

int app_background(app *a)
{
    mapjob *m = a->mj;
    if (!m || m->state != MAPJOB_RUNNING)
        return 0;
    int changed = mapjob_poll(m, a->now);
    if (m->state != MAPJOB_RUNNING && !a->map) {
        if (m->state == MAPJOB_DONE)
            app_message(a, "the stability map is done: %zu runs (S shows "
                        "it)", m->total);
        else
            app_message(a, "the stability map's sweep failed: %s", m->err);
        return 1;
    }
    /* a changed count is news on the map and on the status line alike */
    return changed;
}

void mapscreen_free(app *a)
{
    if (!a->mj)
        return;
    mapjob_free(a->mj);
    free(a->mj);
    a->mj = NULL;
    a->map = 0;
}
