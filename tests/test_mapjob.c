/* Unit tests of the stability map's background sweep (mapjob.h) and its
 * screen (mapview.h): the grid it lays out, that every cell is the very
 * run `--headless --set eta=V --seed S --summary` gives (bit for bit,
 * through the same JSON), that stopping it leaves no process behind, the
 * refusals, the edge, and golden frames of the screen in three tiers. */
#include "testutil.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canvas.h"
#include "comparison.h"
#include "headless.h"
#include "mapjob.h"
#include "mapview.h"
#include "scene.h"
#include "session.h"
#include "app.h"
#include "verdict.h"

/* A small diagonal net whose edge lies between η = 0.5 and 0.6 for
 * seeds 1 and 2 (0.3 bounces, 0.6 diverges). */
static const char tiny[] = "model = diagnet\nn = 20\nd = 30\nr = 3\n"
                           "eta = 0.4\nsteps = 1500\nevery = 100\n";

static scene *tiny_scene(void)
{
    scene *sc = malloc(sizeof *sc);
    assert_non_null(sc);
    scene_err e;
    scene_init(sc);
    assert_int_equal(scene_load_string(sc, tiny, "tiny", &e), 0);
    assert_int_equal(scene_finalize(sc, &e), 0);
    return sc;
}

/* Polls until the sweep ends (bounded by a count of waits, not a time:
 * a slow machine only waits longer). */
static void finish(mapjob *m)
{
    for (int k = 0; k < 100000 && m->state == MAPJOB_RUNNING; k++) {
        struct pollfd p = {mapjob_fd(m), POLLIN, 0};
        poll(&p, 1, 100);
        mapjob_poll(m, 0.0);
    }
}

static void test_grid_and_cells(void **st)
{
    (void)st;
    scene *sc = tiny_scene();
    static mapjob m;
    mapjob_init(&m);
    assert_int_equal(mapjob_fd(&m), -1);
    assert_int_equal(mapjob_start(&m, sc, 0.1, 0.7, 7, 1, 2, 2, 0.0), 0);
    assert_int_equal(m.state, MAPJOB_RUNNING);
    assert_true(mapjob_fd(&m) >= 0);
    assert_int_equal(m.neta, 7);
    assert_int_equal(m.nseed, 2);
    assert_int_equal(m.total, 14);
    const char *want[] = {"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"};
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(m.eta_text[i], want[i]);
        assert_true(m.eta[i] == strtod(want[i], NULL));
    }
    assert_int_equal(m.seed[0], 1);
    assert_int_equal(m.seed[1], 2);
    finish(&m);
    assert_int_equal(m.state, MAPJOB_DONE);
    assert_int_equal(m.done, 14);
    assert_int_equal(mapjob_fd(&m), -1);
    /* the edge: nothing diverges up to 0.5, both seeds at 0.6 (above,
     * the dynamics are chaotic: a seed may survive 0.7) */
    for (size_t ie = 0; ie < 7; ie++) {
        size_t n;
        double p = mapjob_diverged_share(&m, ie, &n);
        assert_int_equal(n, 2);
        if (ie <= 5 && p != (ie == 5 ? 1.0 : 0.0))
            fail_msg("η %s: diverged share %g", m.eta_text[ie], p);
    }
    double edge = 0;
    assert_int_equal(mapjob_edge(&m, &edge), 1);
    assert_close(edge, 0.55, 1e-12);

    /* every cell is the headless run of its scene, through the same JSON */
    for (size_t j = 0; j < m.total; j++) {
        size_t ie = j / m.nseed, is = j % m.nseed;
        static comparison c;
        scene_err e;
        assert_int_equal(mapjob_cell_scene(&m, ie, is, &c, &e), 0);
        assert_true(c.run[0].sched.eta0 == m.eta[ie]);
        assert_int_equal(c.run[0].seed, m.seed[is]);
        char err[256];
        session *s = session_create(&c, app_run_key, err, sizeof err);
        assert_non_null(s);
        char *sum = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&sum, &len);
        assert_non_null(f);
        headless_opts ho = {NULL, f, c.run[0].every, c.run[0].steps, NULL};
        assert_int_equal(headless_run(s, &ho), 0);
        session_destroy(s);
        fclose(f);
        char line[8192];
        snprintf(line, sizeof line, "{\"job\":%zu,\"sweep\":\"%016llx\","
                 "\"params\":{\"eta\":%s},%s", j, 0ULL, m.eta_text[ie],
                 sum + 1);
        free(sum);
        size_t n = strcspn(line, "\n");
        static sweep_log l;
        memset(&l, 0, sizeof l);
        sweep_rec r;
        int col = 0;
        assert_int_equal(sweeplog_parse_line(&l, line, n, &r, err,
                                             sizeof err, &col), 0);
        const mapjob_cell *ce = mapjob_cell_at(&m, ie, is);
        assert_non_null(ce);
        assert_true(ce->done);
        assert_int_equal(ce->rec.job, j);
        assert_int_equal(ce->rec.verdict, r.verdict);
        assert_int_equal(ce->rec.seed, r.seed);
        for (int k = 0; k < SWEEPLOG_NMETRICS; k++)
            assert_memory_equal(&ce->rec.metric[k], &r.metric[k],
                                sizeof(double));
    }
    assert_null(mapjob_cell_at(&m, 7, 0));
    assert_null(mapjob_cell_at(&m, 0, 2));
    mapjob_free(&m);
    assert_int_equal(m.state, MAPJOB_IDLE);
    free(sc);
}

static void test_stop_leaves_nothing(void **st)
{
    (void)st;
    scene *sc = tiny_scene();
    scene_err e;
    assert_int_equal(scene_set(sc, "steps=5000000", &e), 0);
    assert_int_equal(scene_finalize(sc, &e), 0);
    static mapjob m;
    mapjob_init(&m);
    assert_int_equal(mapjob_start(&m, sc, 0.1, 0.3, 3, 1, 3, 2, 0.0), 0);
    pid_t pid = m.pid;
    assert_true(pid > 0);
    /* the sweep and its workers are a process group of their own */
    for (int k = 0; k < 1000 && getpgid(pid) != pid; k++)
        usleep(1000);
    assert_int_equal(getpgid(pid), pid);
    assert_true(getpgid(pid) != getpgrp());
    mapjob_poll(&m, 0.0);
    mapjob_stop(&m);
    assert_int_equal(m.state, MAPJOB_STOPPED);
    assert_int_equal(mapjob_fd(&m), -1);
    /* the sweep is reaped, and no worker of its group is left */
    assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
    int gone = 0;
    for (int k = 0; k < 5000 && !gone; k++) {
        gone = kill(-pid, 0) != 0 && errno == ESRCH;
        if (!gone)
            usleep(1000);
    }
    assert_true(gone);
    /* stopping twice, and freeing, are harmless */
    mapjob_stop(&m);
    mapjob_free(&m);
    free(sc);
}

static void test_refusals(void **st)
{
    (void)st;
    scene *sc = tiny_scene();
    static mapjob m;
    mapjob_init(&m);
    assert_int_equal(mapjob_start(&m, sc, 0.0, 0.5, 5, 1, 2, 1, 0.0), -1);
    assert_non_null(strstr(m.err, "η > 0"));
    assert_int_equal(mapjob_start(&m, sc, 0.1, 0.5, 0, 1, 2, 1, 0.0), -1);
    assert_int_equal(mapjob_start(&m, sc, 0.1, 0.5, MAPJOB_MAX_ETA + 1, 1,
                                  2, 1, 0.0), -1);
    assert_int_equal(mapjob_start(&m, sc, 0.1, 0.5, 5, 1,
                                  MAPJOB_MAX_SEEDS + 1, 1, 0.0), -1);
    assert_int_equal(mapjob_start(&m, sc, 0.5, 0.1, 5, 1, 2, 1, 0.0), -1);
    assert_int_equal(mapjob_start(&m, sc, 0.1, INFINITY, 5, 1, 2, 1, 0.0),
                     -1);
    assert_int_equal(m.state, MAPJOB_IDLE);
    assert_int_equal(mapjob_fd(&m), -1);
    assert_int_equal(m.pid, 0);
    mapjob_free(&m);
    free(sc);
}

/* ---- the screen --------------------------------------------------------------- */

/* A map of neta η × nseed seeds with made-up records over η 0.135 to
 * 0.405: losses falling with η to the edge, the seeds diverging from
 * the 7th tenth of the range on, one by one (with 11 × 5, η index 6 on). */
static void fake_grid(mapjob *m, size_t neta, size_t nseed, size_t ndone)
{
    mapjob_init(m);
    snprintf(m->scene, sizeof m->scene, "fig2-diag-decay30");
    snprintf(m->run, sizeof m->run, "main");
    size_t total = neta * nseed;
    m->neta = neta;
    m->nseed = nseed;
    m->total = total;
    m->steps = 100001;
    m->workers = 1;
    for (size_t i = 0; i < neta; i++) {
        m->eta[i] = 0.135 + 0.27 * (double)i / (double)(neta - 1);
        snprintf(m->eta_text[i], sizeof m->eta_text[i], "%.6g", m->eta[i]);
        m->eta[i] = strtod(m->eta_text[i], NULL);
    }
    for (size_t s = 0; s < nseed; s++)
        m->seed[s] = s + 1;
    for (size_t j = 0; j < ndone && j < total; j++) {
        size_t ie = j / nseed * 10 / (neta - 1), is = j % nseed % 5;
        mapjob_cell *c = &m->cell[j];
        c->done = 1;
        c->rec.job = j;
        c->rec.seed = j % nseed + 1;
        int div = ie >= 6 && is < ie - 5;
        c->rec.verdict = div ? VERDICT_DIVERGED
                             : ie < 3 ? VERDICT_CONVERGED : VERDICT_BOUNCING;
        for (int k = 0; k < SWEEPLOG_NMETRICS; k++)
            c->rec.metric[k] = NAN;
        if (!div) {
            c->rec.metric[SWEEPLOG_TEST_LOSS] =
                0.06 * pow(10, -0.6 * (double)ie) * (1 + 0.1 * (double)is);
            c->rec.metric[SWEEPLOG_TRAIN_LOSS] = 1e-6 * (double)(ie + 1);
            c->rec.metric[SWEEPLOG_L0] = 200 - 15 * (double)ie;
            c->rec.metric[SWEEPLOG_RANK] = 150 - 10 * (double)ie;
        }
        c->rec.metric[SWEEPLOG_DIVERGED] = div;
        c->rec.metric[SWEEPLOG_VERDICT] = c->rec.verdict;
    }
    m->done = ndone;
    m->state = ndone == total ? MAPJOB_DONE : MAPJOB_RUNNING;
    m->t_start = 0;
    m->t_end = ndone == total ? 32.2 : 10.0;
}

static void fake(mapjob *m, size_t ndone)
{
    fake_grid(m, 11, 5, ndone);
}

static char *frame(int w, int h, glyph_tier tier, const mapjob *m,
                   const mapview_state *s)
{
    canvas c;
    assert_int_equal(canvas_init(&c, w, h, tier), 0);
    mapview_draw(&c, (rect){0, 0, w, h}, m, s);
    size_t cap = (size_t)w * (size_t)h * 4 + (size_t)h + 1;
    char *buf = malloc(cap);
    assert_non_null(buf);
    canvas_to_text(&c, buf, cap);
    canvas_free(&c);
    return buf;
}

static void test_screen_goldens(void **st)
{
    (void)st;
    static mapjob m;
    fake(&m, 55);
    mapview_state s = {6, 1, SWEEPLOG_TEST_LOSS, 0.27, 0.27, 1, 40, NULL};
    char *t = frame(80, 23, GLYPH_BRAILLE, &m, &s);
    check_golden("mapview-done-80", t);
    /* the edge (η 0.297: 1 of 5, 0.324: 2 of 5, 0.351: 3 of 5) */
    assert_non_null(strstr(t, "edge η ≈ 0.3375"));
    assert_non_null(strstr(t, "this run: η 0.27, seed 1"));
    assert_non_null(strstr(t, "η 0.297, seed 2: bouncing"));
    free(t);

    /* half back, a keyed η, the verdicts, in ASCII */
    fake(&m, 27);
    mapview_state s2 = {10, 4, SWEEPLOG_VERDICT, 0.297, 0.27, 3, 10, NULL};
    t = frame(80, 23, GLYPH_ASCII, &m, &s2);
    check_golden("mapview-running-80-ascii", t);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        assert_true(*p < 0x80);
    assert_non_null(strstr(t, "27 of 55 runs"));
    assert_non_null(strstr(t, "^ this run: eta 0.297, seed 3"));
    assert_non_null(strstr(t, "not back yet"));
    free(t);

    /* wide, rank, this run left of the map */
    fake(&m, 55);
    mapview_state s3 = {0, 0, SWEEPLOG_RANK, 0.05, 0.05, 9, 40, NULL};
    t = frame(120, 39, GLYPH_BLOCK, &m, &s3);
    check_golden("mapview-rank-120", t);
    assert_non_null(strstr(t, "left of the map"));
    free(t);

    /* `:map`'s largest grid at 80x23: every column, and a window of the
     * seed rows that holds the cursor, the title saying which */
    fake_grid(&m, MAPJOB_MAX_ETA, MAPJOB_MAX_SEEDS,
              MAPJOB_MAX_ETA * MAPJOB_MAX_SEEDS);
    mapview_state s4 = {20, 15, SWEEPLOG_TEST_LOSS, 0.27, 0.27, 1, 40, NULL};
    t = frame(80, 23, GLYPH_BRAILLE, &m, &s4);
    check_golden("mapview-window-80", t);
    assert_non_null(strstr(t, "seeds 6-16 of 20 down"));
    assert_non_null(strstr(t, " seed 16 "));
    assert_null(strstr(t, " seed 17 "));
    assert_null(strstr(t, " seed 5 "));
    assert_non_null(strstr(t, "η 0.27, seed 16: "));
    assert_non_null(strstr(t, "η 0.135 ")); /* a space after the axis name */
    free(t);

    /* too small: says so */
    t = frame(50, 12, GLYPH_BLOCK, &m, &s3);
    assert_non_null(strstr(t, "needs 60x17"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_and_cells),
        cmocka_unit_test(test_stop_leaves_nothing),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_screen_goldens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
