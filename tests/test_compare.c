/* test_compare.c — the comparison view (issue 9): several runs of a
 * session drawn at once.  Golden frames of the shipped comparisons
 * (fig2-compare, prop2-compare, appc-sde-diag) at 80x24, 100x30 and
 * 120x40, in braille and ASCII, with the table on and off, with a frozen
 * run and with a ghost; and the promises behind them: each run's style
 * differs in every tier (colour off included), every word whole, every
 * label a computed quantity, fig2-compare's ordering of final test
 * losses readable without numbers.
 *
 * Colour.  A canvas's text does not depend on colour: what --no-color
 * (or NO_COLOR) shows is exactly the text golden, so the runs must read
 * apart there by glyphs alone (digits, dashes).  The colour goldens
 * (NAME-color.txt) add the role of every cell, one letter or digit per
 * cell (see role_char), so a colour that moves to the wrong run shows.
 *
 * The app does not build sessions yet (the app engineer's side of issue
 * 9): the fixture opens the app as the other view tests do, builds the
 * session itself (comparison_load_file, comparison_finalize,
 * session_create) and sets a->ses and a->r = the focused run, as the
 * contract of app.h says the app will.  Frames are regenerated with
 * SGDSCOPE_UPDATE_GOLDEN=1 (then read the diff). */
#include "testutil.h"

#include <float.h>

#include "app.h"
#include "canvas.h"
#include "comparison.h"
#include "fit.h"
#include "headless.h"
#include "panels.h"
#include "runstyle.h"
#include "session.h"
#include "view.h"

typedef struct fixture {
    app a;
    comparison *c;
    session *s;
    run *own_r;        /* the app's own run, put back before closing */
    session *own_ses;
    uint64_t *gstep;   /* a ghost's arrays (ours) */
    double *gtrain, *gtest;
} fixture;

/* Steps every run of s to step `to` as the headless runner does (each
 * run's losses at its scene's `every`, the spectrum at the end). */
static void drive(session *s, uint64_t to)
{
    headless_opts o = {NULL, NULL, 0, to, NULL};
    assert_int_equal(headless_run(s, &o), 0);
}

/* A finalized comparison: the file at path, or (path NULL) the scene
 * text in sets[0] with the --set items after it. */
static comparison *load(const char *path, const char *const *sets)
{
    comparison *c = calloc(1, sizeof *c);
    assert_non_null(c);
    scene_err e;
    if (!path) {
        if (comparison_load_string(c, sets[0], "t.scene", &e) != 0)
            fail_msg("t.scene:%d:%d: %s", e.line, e.col, e.msg);
        sets++;
    } else if (comparison_load_file(c, path, &e) != 0) {
        fail_msg("%s: %s", path, e.msg);
    }
    for (; sets && *sets; sets++)
        if (comparison_set(c, *sets, &e) != 0)
            fail_msg("--set %s: %s", *sets, e.msg);
    if (comparison_finalize(c, &e) != 0)
        fail_msg("%s: %s:%d: %s", path, e.file, e.line, e.msg);
    return c;
}

/* The comparison at path (with --set items) run to step `to` (0: its
 * length), focus on run `focus`, shown by an app. */
static void fx_open(fixture *f, const char *path, const char *const *sets,
                    uint64_t to, size_t focus)
{
    memset(f, 0, sizeof *f);
    f->c = load(path, sets);
    scene sc;
    comparison_run_scene(f->c, 0, &sc);
    char err[256];
    if (app_open(&f->a, &sc, NULL, err, sizeof err) != 0)
        fail_msg("app_open: %s", err);
    f->s = session_create(f->c, NULL, err, sizeof err);
    if (!f->s)
        fail_msg("session_create: %s", err);
    drive(f->s, to ? to : f->s->steps);
    session_set_focus(f->s, focus);
    f->own_r = f->a.r;
    f->own_ses = f->a.ses;
    f->a.ses = f->s;
    f->a.r = session_focused(f->s);
}

static void fx_close(fixture *f)
{
    f->a.r = f->own_r;
    f->a.ses = f->own_ses;
    memset(&f->a.ghost, 0, sizeof f->a.ghost);
    app_close(&f->a);
    session_destroy(f->s);
    free(f->c);
    free(f->gstep);
    free(f->gtrain);
    free(f->gtest);
}

/* A ghost filled by hand (the CSV reader is the app's): run `run` of the
 * comparison at path with --set items, run to its end, its loss history
 * (each bucket's last sample) as the saved curve. */
static void fx_ghost(fixture *f, const char *path, const char *const *sets,
                     size_t run_i, const char *label)
{
    comparison *c = load(path, sets);
    char err[256];
    session *s = session_create(c, NULL, err, sizeof err);
    assert_non_null(s);
    drive(s, s->steps);
    const run *r = s->run[run_i].r;
    size_t n = r->h_train.len;
    f->gstep = calloc(n, sizeof *f->gstep);
    f->gtrain = calloc(n, sizeof *f->gtrain);
    f->gtest = calloc(n, sizeof *f->gtest);
    for (size_t i = 0; i < n; i++) {
        const hist_bucket *b = history_at(&r->h_train, i);
        f->gstep[i] = b->step_last;
        f->gtrain[i] = b->last;
        f->gtest[i] = i < r->h_test.len ? history_at(&r->h_test, i)->last
                                        : NAN;
    }
    ghost *g = &f->a.ghost;
    snprintf(g->label, sizeof g->label, "%s", label);
    g->n = n;
    g->step = f->gstep;
    g->train = f->gtrain;
    g->test = f->gtest;
    session_destroy(s);
    free(c);
}

static char *canvas_text_dup(const canvas *c)
{
    size_t need = canvas_to_text(c, NULL, 0) + 1;
    char *buf = malloc(need);
    assert_non_null(buf);
    canvas_to_text(c, buf, need);
    return buf;
}

/* One letter per colour role, for the colour goldens: blank for plain
 * text, the digit for a run's role. */
static char role_char(int role)
{
    static const char map[ROLE_COUNT] = {
        [ROLE_TEXT] = ' ', [ROLE_DIM] = '.',  [ROLE_TITLE] = 'T',
        [ROLE_TRAIN] = 'r', [ROLE_TEST] = 'e', [ROLE_BAND] = 'b',
        [ROLE_MARK] = 'm',  [ROLE_ITERATE] = 'i', [ROLE_TRAIL] = 't',
        [ROLE_WARN] = 'W',  [ROLE_GOOD] = 'g', [ROLE_RUN1] = '1',
        [ROLE_RUN2] = '2',  [ROLE_RUN3] = '3', [ROLE_RUN4] = '4',
        [ROLE_RUN5] = '5',  [ROLE_RUN6] = '6',
        [ROLE_HEAT1] = 'A', [ROLE_HEAT2] = 'B', [ROLE_HEAT3] = 'C',
        [ROLE_HEAT4] = 'D', [ROLE_HEAT5] = 'E', [ROLE_HEAT6] = 'F',
        [ROLE_HEAT7] = 'G',
    };
    return role >= 0 && role < ROLE_COUNT ? map[role] : '?';
}

/* The roles of c, one row of role_char per canvas row (caller frees). */
static char *roles_dup(const canvas *c)
{
    char *buf = malloc((size_t)(c->w + 1) * (size_t)c->h + 1);
    assert_non_null(buf);
    size_t k = 0;
    for (int y = 0; y < c->h; y++) {
        for (int x = 0; x < c->w; x++) {
            const cell *p = &c->cells[y * c->w + x];
            int blank = p->ch == ' ' || (p->ch == 0 && p->dots == 0);
            buf[k++] = blank && !(p->attr & ATTR_REVERSE)
                           ? ' '
                           : role_char(p->role);
        }
        buf[k++] = '\n';
    }
    buf[k] = 0;
    return buf;
}

/* Row y of text (no '\n'), into a static buffer. */
static const char *line_of(const char *text, int y)
{
    static char line[4096];
    for (int i = 0; i < y && text; i++) {
        text = strchr(text, '\n');
        if (text)
            text++;
    }
    assert_non_null(text);
    size_t n = strcspn(text, "\n");
    assert_true(n < sizeof line);
    memcpy(line, text, n);
    line[n] = 0;
    return line;
}

/* What every frame at 80x24 and up promises (as test_view.c's
 * check_full_frame): no cut word, the hint line ending in "? help  q
 * quit", "step t/N" on the status line, never nan or inf. */
static void check_full_frame(const char *name, const char *t, int h,
                             const app *a)
{
    if (strstr(t, "\xE2\x80\xA6") || strstr(t, "~\n"))
        fail_msg("%s: a word is cut:\n%s", name, t);
    const char *hint = line_of(t, h - 1);
    size_t n = strlen(hint);
    while (n > 0 && hint[n - 1] == ' ')
        n--;
    const char *end = "? help  q quit";
    if (n < strlen(end) || strncmp(hint + n - strlen(end), end, strlen(end)))
        fail_msg("%s: hint line does not end with '%s': '%s'", name, end,
                 hint);
    char want[64];
    snprintf(want, sizeof want, "step %llu/%llu",
             (unsigned long long)a->r->t, (unsigned long long)a->r->sc.steps);
    if (!strstr(line_of(t, h - 2), want))
        fail_msg("%s: the status line lacks '%s': '%s'", name, want,
                 line_of(t, h - 2));
    if (strstr(t, "nan") || strstr(t, "inf"))
        fail_msg("%s: nan or inf:\n%s", name, t);
}

/* Draws f's app at w×h in tier; checks the frame's promises and its
 * goldens: NAME (text), NAME-color (roles; braille only). */
static void frame(fixture *f, const char *name, glyph_tier tier, int w,
                  int h)
{
    canvas c;
    assert_int_equal(canvas_init(&c, w, h, tier), 0);
    view_draw(&c, &f->a);
    char *t = canvas_text_dup(&c);
    check_full_frame(name, t, h, &f->a);
    check_golden(name, t);
    if (tier == GLYPH_BRAILLE) {
        char *r = roles_dup(&c), cname[256];
        snprintf(cname, sizeof cname, "%s-color", name);
        check_golden(cname, r);
        free(r);
    }
    free(t);
    canvas_free(&c);
}

static const int sizes[][2] = {{80, 24}, {100, 30}, {120, 40}};

/* Every size, braille (text and colour) and ASCII, table off and on. */
static void frames_of(fixture *f, const char *stem)
{
    for (size_t k = 0; k < 3; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        char name[256];
        for (int table = 0; table < 2; table++) {
            f->a.table = table;
            snprintf(name, sizeof name, "cmp-%s%s-%dx%d", stem,
                     table ? "-table" : "", w, h);
            frame(f, name, GLYPH_BRAILLE, w, h);
            snprintf(name, sizeof name, "cmp-%s%s-%dx%d-ascii", stem,
                     table ? "-table" : "", w, h);
            frame(f, name, GLYPH_ASCII, w, h);
        }
        f->a.table = 0;
    }
}

static void test_fig2_compare(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/fig2-compare.scene", NULL, 0, 3);
    frames_of(&f, "fig2-compare");
    fx_close(&f);
}

/* Fig. 3: three runs' paths on one loss surface (issue 11), in every
 * tier; each run's iterate is its digit, in its colour, on the panel. */
static void test_fig3_surface(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/fig3-surface.scene", NULL, 3000, 2);
    assert_non_null(f.s->surf);
    for (size_t k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "cmp-fig3-surface-%dx%d", sizes[k][0],
                 sizes[k][1]);
        frame(&f, name, GLYPH_BRAILLE, sizes[k][0], sizes[k][1]);
        snprintf(name, sizeof name, "cmp-fig3-surface-%dx%d-ascii",
                 sizes[k][0], sizes[k][1]);
        frame(&f, name, GLYPH_ASCII, sizes[k][0], sizes[k][1]);
    }
    frame(&f, "cmp-fig3-surface-100x30-block", GLYPH_BLOCK, 100, 30);
    canvas c;
    assert_int_equal(canvas_init(&c, 100, 30, GLYPH_BRAILLE), 0);
    view_draw(&c, &f.a);
    for (size_t i = 0; i < f.s->n; i++) {
        int seen = 0;
        for (int y = 2; y < 17 && !seen; y++)
            for (int x = 0; x < 49 && !seen; x++) {
                const cell *ce = &c.cells[y * c.w + x];
                seen = ce->ch == runstyle_digit(i) &&
                       ce->role == runstyle_role(i);
            }
        if (!seen)
            fail_msg("run %zu's iterate is not on the surface", i + 1);
    }
    canvas_free(&c);
    fx_close(&f);
}

static void test_prop2_compare(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/prop2-compare.scene", NULL, 0, 1);
    frames_of(&f, "prop2-compare");
    fx_close(&f);
}

/* Six quad1d runs with the longest names a run may have. */
static const char six[] =
    "model = quad1d\nsteps = 300\nevery = 1\n"
    "run aaaaaaaaaaaaaaaaaaaaaaa1\neta = 0.45\n"
    "run aaaaaaaaaaaaaaaaaaaaaaa2\neta = 0.8\n"
    "run aaaaaaaaaaaaaaaaaaaaaaa3\neta = 1.0\n"
    "run aaaaaaaaaaaaaaaaaaaaaaa4\neta = 1.1\n"
    "run aaaaaaaaaaaaaaaaaaaaaaa5\neta = 1.2\n"
    "run aaaaaaaaaaaaaaaaaaaaaaa6\neta = 1.3\n";

/* A frozen run: prop2-compare with the run above the interval pushed to
 * η = 3, where it diverges in a few steps while the others go on.  It
 * is marked in the legend (✕ and its step), its curves end in its ✕, the
 * table says "diverged at step N"; focused, the box names it. */
static void test_frozen(void **st)
{
    (void)st;
    static const char *const above3[] = {"above.eta=3", NULL};
    fixture f;
    fx_open(&f, "scenes/prop2-compare.scene", above3, 0, 1);
    const run *R = f.s->run[2].r;
    assert_true(R->diverged);
    assert_false(f.s->run[1].r->diverged);
    char want[64], n1[32];
    snprintf(want, sizeof want, "diverged at step %s",
             fit_count(R->diverged_at, n1, sizeof n1));
    frame(&f, "cmp-frozen-120x40", GLYPH_BRAILLE, 120, 40);
    canvas c;
    assert_int_equal(canvas_init(&c, 120, 40, GLYPH_BRAILLE), 0);
    view_draw(&c, &f.a);
    char *t = canvas_text_dup(&c);
    if (!strstr(line_of(t, 1), want))
        fail_msg("the legend lacks '%s': %s", want, line_of(t, 1));
    int crosses = 0; /* ✕ in the legend and the loss plot, run 3's */
    for (int i = 0; i < c.w * c.h; i++)
        crosses += c.cells[i].ch == 0x2715 && c.cells[i].role == ROLE_RUN3 &&
                   (i / c.w == 1 || (i / c.w > 1 && i % c.w >= c.w / 2));
    assert_int_equal(crosses, 2); /* quad1d: one loss plot (train = test) */
    assert_null(strstr(t, "Run 3 above diverged")); /* not focused: no box */
    free(t);
    canvas_free(&c);
    f.a.table = 1;
    frame(&f, "cmp-frozen-table-80x24", GLYPH_BRAILLE, 80, 24);
    f.a.table = 0;
    session_set_focus(f.s, 2);
    f.a.r = session_focused(f.s);
    frame(&f, "cmp-frozen-focused-80x24", GLYPH_BRAILLE, 80, 24);
    frame(&f, "cmp-frozen-focused-80x24-ascii", GLYPH_ASCII, 80, 24);
    assert_int_equal(canvas_init(&c, 80, 24, GLYPH_BRAILLE), 0);
    view_draw(&c, &f.a);
    t = canvas_text_dup(&c);
    snprintf(want, sizeof want, "Run 3 above diverged at step %s", n1);
    if (!strstr(t, want))
        fail_msg("no box naming the frozen run:\n%s", t);
    free(t);
    canvas_free(&c);
    fx_close(&f);
}

/* ts2: Fig. 9's small and large steps, their neurons side by side on one
 * scale (the neuron picture's comparison); four runs: the focused run's
 * neurons alone, the title naming it. */
static const char fig9[] =
    "model = ts2\nsteps = 3000\n"
    "run small\neta = 0.13\n"
    "run large\neta = 0.455\ndecays = 30%:4\n";
static const char fig13[] =
    "model = ts2\nsteps = 3000\n"
    "run small\neta = 0.13\n"
    "run d10\neta = 0.455\ndecays = 10%:2\n"
    "run d30\neta = 0.455\ndecays = 30%:4\n"
    "run d50\neta = 0.455\ndecays = 50%:5\n";

static void test_ts2_neurons_compare(void **st)
{
    (void)st;
    static const char *const two[] = {fig9, NULL};
    static const char *const four[] = {fig13, NULL};
    fixture f;
    fx_open(&f, NULL, two, 0, 1);
    frame(&f, "cmp-ts2-neurons-100x30", GLYPH_BRAILLE, 100, 30);
    frame(&f, "cmp-ts2-neurons-100x30-block", GLYPH_BLOCK, 100, 30);
    frame(&f, "cmp-ts2-neurons-100x30-ascii", GLYPH_ASCII, 100, 30);
    frame(&f, "cmp-ts2-neurons-80x24", GLYPH_BRAILLE, 80, 24);
    frame(&f, "cmp-ts2-neurons-160x50", GLYPH_BRAILLE, 160, 50);
    /* both runs' neurons, each in its colour in its half, and the
     * angles of both in the title */
    canvas c;
    assert_int_equal(canvas_init(&c, 60, 16, GLYPH_BRAILLE), 0);
    panel_predictor(&c, (rect){0, 0, 60, 16}, &f.a);
    char *t = canvas_text_dup(&c);
    assert_non_null(strstr(line_of(t, 0), "angle"));
    assert_non_null(strstr(line_of(t, 0), "1:"));
    assert_non_null(strstr(line_of(t, 0), "2:"));
    int left = 0, right = 0, stray = 0;
    for (int i = c.w; i < c.w * c.h; i++) {
        const cell *k = &c.cells[i];
        if (k->ch != 0x25CF)
            continue;
        int x = i % c.w;
        left += x < c.w / 2 && k->role == ROLE_RUN1;
        right += x >= c.w / 2 && k->role == ROLE_RUN2;
        stray += (x < c.w / 2) != (k->role == ROLE_RUN1);
    }
    assert_true(left >= 1);
    assert_true(right >= 1);
    assert_int_equal(stray, 0);
    free(t);
    canvas_free(&c);
    fx_close(&f);
    fx_open(&f, NULL, four, 0, 2);
    frame(&f, "cmp-ts2-neurons-4runs-100x30", GLYPH_BRAILLE, 100, 30);
    assert_int_equal(canvas_init(&c, 60, 16, GLYPH_BRAILLE), 0);
    panel_predictor(&c, (rect){0, 0, 60, 16}, &f.a);
    t = canvas_text_dup(&c);
    if (!strstr(line_of(t, 0), "of 3"))
        fail_msg("the title does not name the focused run: '%s'",
                 line_of(t, 0));
    free(t);
    canvas_free(&c);
    fx_close(&f);
}

/* The shipped teacher-student comparisons: Fig. 9's two runs side by
 * side in every tier; Fig. 5's four ts3 runs, the focused run's neurons
 * projected on the teacher plane, and the title says both. */
static void test_ts_scenes(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/fig9-ts2-compare.scene", NULL, 0, 1);
    frame(&f, "cmp-fig9-ts2-compare-120x40", GLYPH_BRAILLE, 120, 40);
    frame(&f, "cmp-fig9-ts2-compare-120x40-block", GLYPH_BLOCK, 120, 40);
    frame(&f, "cmp-fig9-ts2-compare-120x40-ascii", GLYPH_ASCII, 120, 40);
    fx_close(&f);
    fx_open(&f, "scenes/fig5-ts3-compare.scene", NULL, 0, 1);
    frame(&f, "cmp-fig5-ts3-compare-100x30", GLYPH_BRAILLE, 100, 30);
    frame(&f, "cmp-fig5-ts3-compare-100x30-ascii", GLYPH_ASCII, 100, 30);
    canvas c;
    assert_int_equal(canvas_init(&c, 80, 16, GLYPH_BRAILLE), 0);
    panel_predictor(&c, (rect){0, 0, 80, 16}, &f.a);
    char *t = canvas_text_dup(&c);
    if (!strstr(line_of(t, 0), "(projection") ||
        !strstr(line_of(t, 0), "of 2"))
        fail_msg("no projection or focused run in '%s'", line_of(t, 0));
    free(t);
    canvas_free(&c);
    fx_close(&f);
}

/* relu1d: h(x) overlaid (the predictor's one picture that overlays). */
static void test_fig4_compare(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/fig4-compare.scene", NULL, 0, 0);
    frame(&f, "cmp-fig4-compare-100x30", GLYPH_BRAILLE, 100, 30);
    frame(&f, "cmp-fig4-compare-100x30-ascii", GLYPH_ASCII, 100, 30);
    fx_close(&f);
}

/* fig2-compare with a ghost: the decay50 run of another data draw. */
static void test_ghost(void **st)
{
    (void)st;
    static const char *const seed4[] = {"seed=4", NULL};
    fixture f;
    fx_open(&f, "scenes/fig2-compare.scene", NULL, 0, 3);
    fx_ghost(&f, "scenes/fig2-compare.scene", seed4, 3, "decay50-seed4.csv");
    for (size_t k = 0; k < 3; k += 2) {
        char name[128];
        snprintf(name, sizeof name, "cmp-ghost-%dx%d", sizes[k][0],
                 sizes[k][1]);
        frame(&f, name, GLYPH_BRAILLE, sizes[k][0], sizes[k][1]);
    }
    fx_close(&f);
}

/* A single run with a ghost: no legend row (one run), the ghost named in
 * the loss title and drawn grey behind the curves; without a ghost the
 * frame is the single run's as always. */
static void test_ghost_single(void **st)
{
    (void)st;
    static const char *const seed3[] = {"seed=3", NULL};
    static const char *const seed4[] = {"seed=4", NULL};
    fixture f;
    fx_open(&f, "scenes/fig2-diag-decay50.scene", seed3, 60000, 0);
    fx_ghost(&f, "scenes/fig2-diag-decay50.scene", seed4, 0, "seed4.csv");
    frame(&f, "cmp-ghost-single-100x30", GLYPH_BRAILLE, 100, 30);
    canvas c;
    assert_int_equal(canvas_init(&c, 100, 30, GLYPH_BRAILLE), 0);
    view_draw(&c, &f.a);
    char *t = canvas_text_dup(&c);
    if (!strstr(line_of(t, 1), "ghost seed4.csv"))
        fail_msg("the loss title does not name the ghost:\n%s", t);
    int grey = 0; /* the ghost's dots in the loss plot */
    for (int y = 2; y < 14; y++)
        for (int x = 55; x < c.w; x++) {
            const cell *k = &c.cells[y * c.w + x];
            grey += k->ch == 0 && k->dots && k->role == ROLE_DIM;
        }
    assert_true(grey > 5);
    free(t);
    canvas_free(&c);
    /* the log step axis too: every run and the ghost at step + 1 */
    f.a.xlog = 1;
    assert_int_equal(canvas_init(&c, 100, 30, GLYPH_BRAILLE), 0);
    view_draw(&c, &f.a);
    t = canvas_text_dup(&c);
    check_full_frame("ghost-xlog", t, 30, &f.a);
    free(t);
    canvas_free(&c);
    fx_close(&f);
}

/* Extreme sizes with several runs: no crash, never nan, the smallest
 * frame that is not "needs 60x18" still names the runs. */
static void test_compare_sizes(void **st)
{
    (void)st;
    static const char *const text[] = {six, NULL};
    fixture f;
    fx_open(&f, NULL, text, 120, 2);
    f.a.ses->run[5].r->diverged = 1; /* a frozen run among them */
    f.a.ses->run[5].r->diverged_at = 100;
    const int wh[][2] = {{0, 0}, {1, 1}, {59, 18}, {60, 18}, {61, 19},
                         {200, 60}, {400, 120}};
    for (int tier = 0; tier < 3; tier++)
        for (size_t i = 0; i < sizeof wh / sizeof wh[0]; i++)
            for (int table = 0; table < 2; table++) {
                f.a.table = table;
                canvas c;
                assert_int_equal(canvas_init(&c, wh[i][0], wh[i][1],
                                             (glyph_tier)tier), 0);
                view_draw(&c, &f.a);
                char *t = canvas_text_dup(&c);
                if (strstr(t, "nan") || strstr(t, "inf"))
                    fail_msg("%dx%d: nan:\n%s", wh[i][0], wh[i][1], t);
                if (wh[i][0] >= 60 && wh[i][1] >= 18 &&
                    !strstr(line_of(t, 1), "3"))
                    fail_msg("%dx%d: no legend:\n%s", wh[i][0], wh[i][1], t);
                free(t);
                canvas_free(&c);
            }
    f.a.ses->run[5].r->diverged = 0;
    fx_close(&f);
}

static void test_appc_sde_diag(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/appc-sde-diag.scene", NULL, 0, 1);
    frames_of(&f, "appc-sde-diag");
    fx_close(&f);
}


/* ---- the styles --------------------------------------------------------- */

/* A flat curve of run k drawn across a 16-cell strip, as text. */
static char *flat_line(glyph_tier tier, size_t k)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 16, 1, tier), 0);
    rect r = {0, 0, 16, 1};
    int w = 16 * canvas_dots_x(&c), y = canvas_dots_y(&c) / 2;
    canvas_line_dash(&c, r, 0, y, w - 1, y, runstyle_role(k),
                     runstyle_dash(k, tier));
    char *t = canvas_text_dup(&c);
    canvas_free(&c);
    return t;
}

/* Every run's style differs from every other's in every tier with the
 * colour off: what a line of it looks like as text (its dashes in braille
 * and block, its digit in ASCII), its legend sample and its digit; and
 * with the colour on, its role and both its palette colours. */
static void test_styles_differ(void **st)
{
    (void)st;
    static const glyph_tier tiers[] = {GLYPH_ASCII, GLYPH_BLOCK,
                                       GLYPH_BRAILLE};
    for (size_t t = 0; t < 3; t++) {
        char *line[RUNSTYLE_MAX], sample[RUNSTYLE_MAX][32];
        for (size_t k = 0; k < RUNSTYLE_MAX; k++) {
            line[k] = flat_line(tiers[t], k);
            runstyle_sample(k, tiers[t], sample[k], sizeof sample[k]);
        }
        for (size_t i = 0; i < RUNSTYLE_MAX; i++)
            for (size_t j = i + 1; j < RUNSTYLE_MAX; j++) {
                if (strcmp(line[i], line[j]) == 0)
                    fail_msg("tier %zu: runs %zu and %zu draw alike: %s", t,
                             i + 1, j + 1, line[i]);
                if (strcmp(sample[i], sample[j]) == 0)
                    fail_msg("tier %zu: samples of %zu and %zu alike", t,
                             i + 1, j + 1);
                assert_int_not_equal(runstyle_digit(i), runstyle_digit(j));
                assert_int_not_equal(runstyle_role(i), runstyle_role(j));
                const role_colour *a = &canvas_palette[runstyle_role(i)];
                const role_colour *b = &canvas_palette[runstyle_role(j)];
                assert_int_not_equal(a->c256, b->c256);
                assert_int_not_equal(a->c8, b->c8);
            }
        /* the ghost reads apart from every run too */
        char g[32];
        runstyle_sample_dash(RUNSTYLE_GHOST_DASH, tiers[t], g, sizeof g);
        for (size_t k = 0; t > 0 && k < RUNSTYLE_MAX; k++)
            assert_string_not_equal(g, sample[k]);
        for (size_t k = 0; k < RUNSTYLE_MAX; k++)
            free(line[k]);
    }
    /* ASCII: each run's dots are its digit */
    char *one = flat_line(GLYPH_ASCII, 2);
    assert_string_equal(one, "3333333333333333\n");
    free(one);
    /* every role has a colour a terminal can show (no black on black) */
    for (int r = ROLE_RUN1; r <= ROLE_RUN6; r++)
        assert_true(canvas_palette[r].c256 > 15 && canvas_palette[r].c8 > 0);
}

/* The order of the digits in a column of a canvas, top down, between
 * rows y0 and y1 (exclusive). */
static void digits_down(const canvas *c, int x, int y0, int y1, char *out)
{
    size_t n = 0;
    for (int y = y0; y < y1; y++) {
        uint32_t ch = c->cells[y * c->w + x].ch;
        if (ch >= '1' && ch <= '6')
            out[n++] = (char)ch;
    }
    out[n] = 0;
}

/* fig2-compare's lesson without a number: the test plot's end labels,
 * read down, rank the runs by final test loss (highest first), and the
 * spectrum's rank row, read across, by rank (lowest first) — in every
 * tier and at every size. */
static void test_fig2_ordering(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/fig2-compare.scene", NULL, 0, 3);
    char want[8] = {0}, want_rank[8] = {0};
    size_t idx[4] = {0, 1, 2, 3};
    for (size_t i = 0; i < 4; i++) /* by test loss, descending */
        for (size_t j = i + 1; j < 4; j++)
            if (f.s->run[idx[j]].r->last.test_loss >
                f.s->run[idx[i]].r->last.test_loss) {
                size_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
    for (size_t i = 0; i < 4; i++)
        want[i] = (char)('1' + idx[i]);
    assert_string_equal(want, "1234"); /* the paper's message */
    for (size_t i = 0; i < 4; i++)
        want_rank[i] = (char)('4' - i); /* ranks 108 < 132 < 175 < 200 */
    for (int tier = 0; tier < 3; tier++)
        for (size_t k = 0; k < 3; k++) {
            int w = sizes[k][0], h = sizes[k][1];
            canvas c;
            assert_int_equal(canvas_init(&c, w, h, (glyph_tier)tier), 0);
            view_draw(&c, &f.a);
            char *t = canvas_text_dup(&c);
            int ty = -1, sy = -1;
            for (int y = 0; y < h; y++) {
                if (ty < 0 && strstr(line_of(t, y), "Test"))
                    ty = y;
                if (sy < 0 && strstr(line_of(t, y), "NTK"))
                    sy = y;
            }
            if (ty < 0 || sy < 0)
                fail_msg("no test plot or spectrum:\n%s", t);
            char got[16], rk[16];
            digits_down(&c, w - 1, ty + 1, sy, got);
            /* the rank row is the spectrum's last, above the status */
            size_t n = 0;
            for (int x = w / 2; x < w; x++) {
                uint32_t ch = c.cells[(h - 3) * w + x].ch;
                if (ch >= '1' && ch <= '6')
                    rk[n++] = (char)ch;
            }
            rk[n] = 0;
            if (strcmp(got, want) || strcmp(rk, want_rank))
                fail_msg("%dx%d tier %d: test labels '%s' (want %s), "
                         "ranks '%s' (want %s):\n%s", w, h, tier, got, want,
                         rk, want_rank, t);
            free(t);
            canvas_free(&c);
        }
    fx_close(&f);
}

/* The status line names the focused run ("run 2/3 sde") and shows the
 * `*` prefix; the valley's title names the run too. */
static void test_status_names_focus(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "scenes/appc-sde-diag.scene", NULL, 4000, 1);
    for (size_t k = 0; k < 3; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        f.a.all_prefix = 1;
        canvas c;
        assert_int_equal(canvas_init(&c, w, h, GLYPH_BRAILLE), 0);
        view_draw(&c, &f.a);
        char *t = canvas_text_dup(&c);
        const char *status = line_of(t, h - 2);
        if (!strstr(status, "run 2/3") || !strchr(status, '*'))
            fail_msg("%dx%d status: '%s'", w, h, status);
        if (w >= 100 && (!strstr(status, "* all runs:") ||
                         !strstr(status, "run 2/3 sde")))
            fail_msg("%dx%d status: '%s'", w, h, status);
        if (!strstr(line_of(t, 2), "2 sde"))
            fail_msg("the valley does not name its run: '%s'",
                     line_of(t, 2));
        check_full_frame("status", t, h, &f.a);
        free(t);
        canvas_free(&c);
        f.a.all_prefix = 0;
    }
    fx_close(&f);
}

/* A session of one run is drawn exactly as the run alone. */
static void test_one_run_session(void **st)
{
    (void)st;
    static const char *const sets[] = {"seed=3", NULL};
    fixture f;
    fx_open(&f, "scenes/fig2-diag-decay50.scene", sets, 20000, 0);
    for (int tier = 0; tier < 3; tier++) {
        canvas c;
        assert_int_equal(canvas_init(&c, 100, 30, (glyph_tier)tier), 0);
        view_draw(&c, &f.a);
        char *with = canvas_text_dup(&c);
        f.a.ses = NULL;
        view_draw(&c, &f.a);
        char *without = canvas_text_dup(&c);
        f.a.ses = f.s;
        assert_string_equal(with, without);
        assert_null(strstr(with, "run 1/1"));
        free(with);
        free(without);
        canvas_free(&c);
    }
    fx_close(&f);
}

/* Six runs with the longest names at 80x24: the legend keeps every digit
 * and the focused run's name, cuts no word; the predictor shows the
 * focused run and says so; the table fits. */
static void test_six_runs(void **st)
{
    (void)st;
    static const char *const text[] = {six, NULL};
    fixture f;
    fx_open(&f, NULL, text, 0, 4);
    for (int table = 0; table < 2; table++)
        for (int tier = 0; tier < 3; tier++) {
            f.a.table = table;
            canvas c;
            assert_int_equal(canvas_init(&c, 80, 24, (glyph_tier)tier), 0);
            view_draw(&c, &f.a);
            char *t = canvas_text_dup(&c);
            check_full_frame("six", t, 24, &f.a);
            const char *legend = line_of(t, 1);
            for (char d = '1'; d <= '6'; d++)
                if (!strchr(legend, d))
                    fail_msg("legend lacks run %c: '%s'", d, legend);
            if (!strstr(legend, "aaaaaaaaaaaaaaaaaaaaaaa5"))
                fail_msg("legend lacks the focused name: '%s'", legend);
            if (!table && !strstr(t, "of 5"))
                fail_msg("the predictor does not say whose it is:\n%s", t);
            if (table && !strstr(t, "Runs at step 300"))
                fail_msg("no table:\n%s", t);
            free(t);
            canvas_free(&c);
        }
    f.a.table = 0;
    frame(&f, "cmp-six-80x24", GLYPH_BRAILLE, 80, 24);
    f.a.table = 1;
    frame(&f, "cmp-six-table-80x24", GLYPH_BRAILLE, 80, 24);
    fx_close(&f);
}

/* Runs of different models: no overlaid predictor (one picture per
 * model), the focused run's instead, said so; every other panel draws
 * both. */
static void test_mixed_models(void **st)
{
    (void)st;
    static const char *const text[] = {
        "model = quad1d\nsteps = 200\nevery = 1\nrun q\n"
        "run r\nmodel = relu1d\nm = 20\neta = 1e-3\n"
        "run d\nmodel = diagnet\nn = 20\nd = 30\nr = 3\neta = 0.1\n",
        NULL};
    fixture f;
    fx_open(&f, NULL, text, 0, 1);
    frame(&f, "cmp-mixed-100x30", GLYPH_BRAILLE, 100, 30);
    canvas c;
    assert_int_equal(canvas_init(&c, 100, 30, GLYPH_BRAILLE), 0);
    view_draw(&c, &f.a);
    char *t = canvas_text_dup(&c);
    assert_non_null(strstr(t, "of 2 r (focused; 3 runs)"));
    assert_non_null(strstr(t, "1:1/1"));   /* ranks of their own sizes */
    free(t);
    canvas_free(&c);
    f.a.table = 1;
    frame(&f, "cmp-mixed-table-100x30", GLYPH_BRAILLE, 100, 30);
    /* every model's column at once: θ, ‖β‖₀, kinks and sparsity */
    frame(&f, "cmp-mixed-table-120x40", GLYPH_BRAILLE, 120, 40);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fig2_compare),
        cmocka_unit_test(test_fig3_surface),
        cmocka_unit_test(test_prop2_compare),
        cmocka_unit_test(test_appc_sde_diag),
        cmocka_unit_test(test_ghost),
        cmocka_unit_test(test_ghost_single),
        cmocka_unit_test(test_compare_sizes),
        cmocka_unit_test(test_frozen),
        cmocka_unit_test(test_fig4_compare),
        cmocka_unit_test(test_ts2_neurons_compare),
        cmocka_unit_test(test_ts_scenes),
        cmocka_unit_test(test_styles_differ),
        cmocka_unit_test(test_fig2_ordering),
        cmocka_unit_test(test_status_names_focus),
        cmocka_unit_test(test_one_run_session),
        cmocka_unit_test(test_six_runs),
        cmocka_unit_test(test_mixed_models),
    };
    return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
