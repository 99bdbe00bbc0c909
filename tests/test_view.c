/* test_view.c — golden text frames of the whole screen: every model in
 * every glyph tier, every shipped scene at 80x24, 100x30 and 120x40, the
 * overlays (help, divergence, too small); and the instruments' promises:
 * whole-run curves, honest log floors, labels that agree with the run,
 * axes that do not pulse, nothing cut at projector sizes.
 * Frames are compared byte for byte with tests/golden/NAME.txt; run with
 * SGDSCOPE_UPDATE_GOLDEN=1 to rewrite them (then read the diff!). */
#include "testutil.h"

#include <dirent.h>
#include <float.h>

#include "app.h"
#include "canvas.h"
#include "fit.h"
#include "panels.h"
#include "view.h"

static void open_app(app *a, const char *scene_path,
                     const char *const *sets, uint64_t steps)
{
    scene s;
    scene_err e;
    scene_init(&s);
    if (scene_path && scene_load_file(&s, scene_path, &e) != 0)
        fail_msg("%s: %s", scene_path, e.msg);
    for (; sets && *sets; sets++)
        if (scene_set(&s, *sets, &e) != 0)
            fail_msg("%s: %s", *sets, e.msg);
    assert_int_equal(scene_finalize(&s, &e), 0);
    char err[256];
    if (app_open(a, &s, NULL, err, sizeof err) != 0)
        fail_msg("app_open: %s", err);
    app_run_to(a, steps);
}

static char *canvas_text_dup(const canvas *c)
{
    size_t need = canvas_to_text(c, NULL, 0) + 1;
    char *buf = malloc(need);
    assert_non_null(buf);
    canvas_to_text(c, buf, need);
    return buf;
}

/* The whole screen of a as text (caller frees). */
static char *draw_app(const app *a, glyph_tier tier, int w, int h)
{
    canvas c;
    assert_int_equal(canvas_init(&c, w, h, tier), 0);
    view_draw(&c, a);
    char *buf = canvas_text_dup(&c);
    canvas_free(&c);
    return buf;
}

static char *render(const char *scene_path, const char *const *sets,
                    uint64_t steps, glyph_tier tier, int w, int h,
                    void (*tweak)(app *))
{
    app a;
    open_app(&a, scene_path, sets, steps);
    if (tweak)
        tweak(&a);
    char *buf = draw_app(&a, tier, w, h);
    app_close(&a);
    return buf;
}

static void frame(const char *name, const char *scn, const char *const *sets,
                  uint64_t steps, glyph_tier tier, void (*tweak)(app *))
{
    char *t = render(scn, sets, steps, tier, 100, 30, tweak);
    check_golden(name, t);
    free(t);
}

static void test_quad_tiers(void **st)
{
    (void)st;
    frame("quad1d-braille", "scenes/prop2-quad.scene", NULL, 300,
          GLYPH_BRAILLE, NULL);
    frame("quad1d-block", "scenes/prop2-quad.scene", NULL, 300, GLYPH_BLOCK,
          NULL);
    frame("quad1d-ascii", "scenes/prop2-quad.scene", NULL, 300, GLYPH_ASCII,
          NULL);
}

static const char *const diag_sets[] = {"seed=3", NULL};

static void test_diag_tiers(void **st)
{
    (void)st;
    frame("diagnet-braille", "scenes/fig2-diag-decay50.scene", diag_sets,
          20000, GLYPH_BRAILLE, NULL);
    frame("diagnet-block", "scenes/fig2-diag-decay50.scene", diag_sets, 20000,
          GLYPH_BLOCK, NULL);
    frame("diagnet-ascii", "scenes/fig2-diag-decay50.scene", diag_sets, 20000,
          GLYPH_ASCII, NULL);
}

static void test_relu_tiers(void **st)
{
    (void)st;
    frame("relu1d-braille", "scenes/fig4-relu-decay50.scene", NULL, 12000,
          GLYPH_BRAILLE, NULL);
    frame("relu1d-block", "scenes/fig4-relu-decay50.scene", NULL, 12000,
          GLYPH_BLOCK, NULL);
    frame("relu1d-ascii", "scenes/fig4-relu-decay50.scene", NULL, 12000,
          GLYPH_ASCII, NULL);
}

/* The loss surface (issue 11) in every tier, at 80x24 and 100x30, the
 * valley back on v, and its colours (one letter per role of the panel:
 * A..G the heat ramp, digits the runs). */
static void show_valley(app *a)
{
    app_act(a, ACT_SURFACE);
}

static char *surface_roles(const char *scn, uint64_t steps)
{
    app a;
    open_app(&a, scn, NULL, steps);
    canvas c;
    assert_int_equal(canvas_init(&c, 100, 30, GLYPH_BRAILLE), 0);
    view_draw(&c, &a);
    char *buf = malloc(51 * 16 + 1);
    assert_non_null(buf);
    size_t k = 0;
    for (int y = 1; y < 17; y++) { /* the panel's rows */
        for (int x = 0; x < 50; x++) {
            int r = c.cells[y * c.w + x].role;
            buf[k++] = r >= ROLE_HEAT1 && r <= ROLE_HEAT7 ? (char)('A' + r - ROLE_HEAT1)
                       : r >= ROLE_RUN1 && r <= ROLE_RUN6 ? (char)('1' + r - ROLE_RUN1)
                       : r == ROLE_TEXT ? ' ' : r == ROLE_DIM ? '.'
                       : r == ROLE_ITERATE ? 'i' : r == ROLE_TRAIN ? 'r'
                       : r == ROLE_TEST ? 'e' : r == ROLE_TITLE ? 'T' : '?';
        }
        buf[k++] = '\n';
    }
    buf[k] = 0;
    canvas_free(&c);
    app_close(&a);
    return buf;
}

static void test_surface_tiers(void **st)
{
    (void)st;
    static const struct {
        const char *name, *scn;
        uint64_t steps;
    } sc[] = {{"fig7", "scenes/fig7-valley2d.scene", 4000},
              {"fig3", "scenes/fig3-surface.scene", 1500}};
    static const struct {
        const char *name;
        glyph_tier t;
    } tiers[] = {{"braille", GLYPH_BRAILLE}, {"block", GLYPH_BLOCK},
                 {"ascii", GLYPH_ASCII}};
    char name[64];
    for (size_t i = 0; i < 2; i++) {
        for (size_t k = 0; k < 3; k++) {
            snprintf(name, sizeof name, "surface-%s-%s", sc[i].name,
                     tiers[k].name);
            frame(name, sc[i].scn, NULL, sc[i].steps, tiers[k].t, NULL);
            snprintf(name, sizeof name, "surface-%s-%s-80x24", sc[i].name,
                     tiers[k].name);
            char *t = render(sc[i].scn, NULL, sc[i].steps, tiers[k].t, 80,
                             24, NULL);
            assert_non_null(strstr(t, "Loss surface"));
            check_golden(name, t);
            free(t);
        }
        char *t = render(sc[i].scn, NULL, sc[i].steps, GLYPH_BRAILLE, 100,
                         30, show_valley);
        assert_null(strstr(t, "Loss surface"));
        snprintf(name, sizeof name, "surface-%s-valley", sc[i].name);
        check_golden(name, t);
        free(t);
        t = surface_roles(sc[i].scn, sc[i].steps);
        assert_non_null(strchr(t, 'A'));  /* the ramp's low end */
        assert_non_null(strchr(t, 'G'));  /* and its high end */
        snprintf(name, sizeof name, "surface-%s-roles", sc[i].name);
        check_golden(name, t);
        free(t);
    }
}

static void open_help(app *a)
{
    a->help = 1;
}

static void pause_it(app *a)
{
    a->paused = 1;
}

static const char *const diverge_sets[] = {"eta=3", NULL};

static void test_overlays(void **st)
{
    (void)st;
    frame("help-overlay", "scenes/prop2-quad.scene", NULL, 50, GLYPH_BRAILLE,
          open_help);
    frame("diverged", "scenes/prop2-quad.scene", diverge_sets, 500,
          GLYPH_BRAILLE, pause_it);
    char *t = render("scenes/prop2-quad.scene", NULL, 10, GLYPH_BRAILLE, 20,
                     10, NULL);
    check_golden("too-small", t);
    assert_non_null(strstr(t, "needs 60x18"));
    assert_non_null(strstr(t, "q quit"));
    free(t);
}

/* The help overlay lists every key of the key table: it is generated from
 * it, so it can never drift from the bindings. */
static void test_help_lists_every_key(void **st)
{
    (void)st;
    char *t = render("scenes/prop2-quad.scene", NULL, 5, GLYPH_BRAILLE, 100, 40,
                     open_help);
    for (size_t i = 0; i < app_nkeys; i++) {
        char row[128];
        snprintf(row, sizeof row, "%-6s %s", app_keys[i].label,
                 app_keys[i].help);
        if (!strstr(t, row))
            fail_msg("help lacks '%s':\n%s", row, t);
    }
    free(t);
}

/* Row y (0-based) of a text frame, into buf. */
static void frame_row(const char *t, int y, char *buf, size_t cap)
{
    for (int i = 0; i < y && t; i++) {
        t = strchr(t, '\n');
        if (t)
            t++;
    }
    assert_non_null(t);
    size_t n = strcspn(t, "\n");
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, t, n);
    buf[n] = 0;
}

static void open_prompt(app *a)
{
    a->prompt = 1;
}

/* Where the help fits in one column above it, the status line stays in
 * view (the run's step count, waiting behind the help); the prompt's
 * row always says how to leave, then lists whole commands only. */
static void test_help_and_prompt_leave_the_status(void **st)
{
    (void)st;
    const int sizes[][2] = {{100, 40}, {120, 40}, {120, 44}, {160, 50},
                            {200, 60}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        char *t = render("scenes/prop2-quad.scene", NULL, 5, GLYPH_BRAILLE, w,
                         h, open_help);
        char row[4096];
        assert_non_null(strstr(t, "sgdscope keys"));
        frame_row(t, h - 2, row, sizeof row);
        if (!strstr(row, "step 5/"))
            fail_msg("%dx%d: the status line is covered: '%s'", w, h, row);
        free(t);
    }
    static const char *const cmds[] = {
        "eta X", "batch N", "seed N", "goto STEP", "decay", "dynamics D",
        "ghost FILE [RUN]", "map LO:HI[:N] [S-T]", "help"};
    for (int w = 60; w <= 200; w += 7) {
        char *t = render("scenes/prop2-quad.scene", NULL, 5, GLYPH_ASCII, w,
                         24, open_prompt);
        char row[4096];
        frame_row(t, 23, row, sizeof row);
        const char *p = strstr(row, "Enter runs, Esc cancels");
        if (!p)
            fail_msg("%d columns: no way out on '%s'", w, row);
        /* what follows is whole commands, separated by " | " */
        p += strlen("Enter runs, Esc cancels");
        size_t shown = 0;
        while (*p == ' ')
            p++;
        while (*p && shown < sizeof cmds / sizeof cmds[0]) {
            size_t l = strlen(cmds[shown]);
            if (strncmp(p, cmds[shown], l) != 0)
                fail_msg("%d columns: '%s' is not a whole command list", w,
                         row);
            p += l;
            shown++;
            if (strncmp(p, " | ", 3) == 0)
                p += 3;
            else
                break;
        }
        while (*p == ' ')
            p++;
        if (*p)
            fail_msg("%d columns: a cut command on '%s'", w, row);
        if (w >= 120)
            assert_true(shown >= 7);
        free(t);
    }
}

/* Extreme sizes never crash and never write "nan". */
static void test_extreme_sizes(void **st)
{
    (void)st;
    const int sizes[][2] = {{0, 0}, {1, 1}, {59, 18}, {60, 18}, {200, 60},
                            {400, 120}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *t = render("scenes/fig4-relu-decay2.scene", NULL, 500,
                         GLYPH_BRAILLE, sizes[i][0], sizes[i][1], NULL);
        assert_null(strstr(t, "nan"));
        free(t);
    }
}


/* ---- every shipped scene at projector sizes ----------------------------- */

static const int golden_sizes[][2] = {{80, 24}, {100, 30}, {120, 40}};

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

/* What every frame at 80x24 and up promises: no word cut ('…' nowhere),
 * the hint line ending in "? help  q quit", the scene and the speed on
 * the top row, η and "step t/N" on the status line, never "nan". */
static void check_full_frame(const char *name, const char *t, int h,
                             const app *a)
{
    if (strstr(t, "\xE2\x80\xA6"))
        fail_msg("%s: a word is cut ('…'):\n%s", name, t);
    const char *hint = line_of(t, h - 1);
    size_t n = strlen(hint);
    while (n > 0 && hint[n - 1] == ' ')
        n--;
    const char *end = "? help  q quit";
    if (n < strlen(end) || strncmp(hint + n - strlen(end), end, strlen(end)))
        fail_msg("%s: hint line does not end with '%s': '%s'", name, end,
                 hint);
    char want[64], speed[32];
    snprintf(want, sizeof want, "step %llu/%llu",
             (unsigned long long)a->r->t, (unsigned long long)a->r->sc.steps);
    const char *status = line_of(t, h - 2);
    if (!strstr(status, want) ||
        (!strstr(status, "η=") && !strstr(status, "eta=")))
        fail_msg("%s: the status line lacks η or '%s': '%s'", name, want,
                 status);
    const char *top = line_of(t, 0);
    app_speed_text(a, speed, sizeof speed);
    if (!strstr(top, speed) && strncmp(speed, "\xC3\x97", 2) == 0)
        memmove(speed, speed + 1, strlen(speed)), speed[0] = 'x'; /* ASCII */
    if (!strstr(top, speed) ||
        !strstr(top, strstr(top, a->base.title) ? a->base.title
                                                 : a->base.name))
        fail_msg("%s: the top row lacks the scene or the speed: '%s'", name,
                 top);
    assert_null(strstr(t, "nan"));
}

/* Every scene in scenes/ (so a new scene gets its goldens), run to its own
 * length, drawn at the three sizes: goldens named scene-NAME-WxH. */
static void test_scene_goldens(void **st)
{
    (void)st;
    DIR *d = opendir("scenes");
    assert_non_null(d);
    char names[64][256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        size_t l = strlen(e->d_name);
        if (l > 6 && strcmp(e->d_name + l - 6, ".scene") == 0)
            snprintf(names[n++], sizeof names[0], "%.*s", (int)(l - 6),
                     e->d_name);
    }
    closedir(d);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        char path[300];
        snprintf(path, sizeof path, "scenes/%.200s.scene", names[i]);
        app a;
        open_app(&a, path, NULL, 0);
        app_run_to(&a, a.r->sc.steps);
        for (size_t k = 0; k < 3; k++) {
            int w = golden_sizes[k][0], h = golden_sizes[k][1];
            char gname[320];
            snprintf(gname, sizeof gname, "scene-%.200s-%dx%d", names[i], w, h);
            char *t = draw_app(&a, GLYPH_BRAILLE, w, h);
            check_full_frame(gname, t, h, &a);
            check_golden(gname, t);
            free(t);
        }
        app_close(&a);
    }
}

/* The states with the longest status lines still fit at 80x24. */
static void test_states_fit_80x24(void **st)
{
    (void)st;
    static const char *const sets[] = {"eta=3", NULL};
    app a;
    open_app(&a, "scenes/prop2-quad-above.scene", sets, 500);
    a.paused = 1;
    for (int tier = 0; tier < 3; tier++) {
        char *t = draw_app(&a, (glyph_tier)tier, 80, 24);
        check_full_frame("diverged-80x24", t, 24, &a);
        free(t);
    }
    app_close(&a);
    open_app(&a, "scenes/fig4-relu-decay2.scene", NULL, 3000);
    app_message(&a, "a rather long message about what just happened to "
                    "the run, longer than the line is wide at 80 columns");
    char *t = draw_app(&a, GLYPH_BRAILLE, 80, 24);
    check_full_frame("message-80x24", t, 24, &a);
    free(t);
    app_close(&a);
}

/* ---- defect 1: the whole run ------------------------------------------- */

/* The first and last data columns of a time-series plot drawn by
 * panel_loss in a w×h canvas hold ROLE_TRAIN dots in the loss rows. */
static void check_whole_run(app *a, int xlog)
{
    a->xlog = xlog;
    canvas c;
    assert_int_equal(canvas_init(&c, 60, 16, GLYPH_BRAILLE), 0);
    panel_loss(&c, (rect){0, 0, 60, 16}, a);
    /* the y axis is the first column, from the left, holding '┤' */
    int ax = -1;
    for (int x = 0; x < c.w && ax < 0; x++)
        for (int y = 1; y < 6; y++)
            if (c.cells[y * c.w + x].ch == 0x2524)
                ax = x;
    assert_true(ax > 0);
    int first = 0, last = 0;
    for (int y = 1; y < 10; y++) {
        const cell *f = &c.cells[y * c.w + ax + 1];
        const cell *l = &c.cells[y * c.w + c.w - 1];
        first |= f->ch == 0 && f->dots && f->role == ROLE_TRAIN;
        last |= l->ch == 0 && l->dots && l->role == ROLE_TRAIN;
    }
    if (!first || !last) {
        char *t = canvas_text_dup(&c);
        fail_msg("curve misses step 0 (%d) or the last step (%d), log x "
                 "%d, t=%llu:\n%s", first, last, xlog,
                 (unsigned long long)a->r->t, t);
    }
    canvas_free(&c);
}

static void test_loss_whole_run(void **st)
{
    (void)st;
    app a;
    open_app(&a, "scenes/prop2-quad.scene", NULL, 2232);
    check_whole_run(&a, 0);
    check_whole_run(&a, 1);
    app_close(&a);
    static const char *const long_run[] = {"steps=1000000", "every=20",
                                           NULL};
    open_app(&a, "scenes/prop2-quad.scene", long_run, 1000000);
    check_whole_run(&a, 0);
    check_whole_run(&a, 1);
    app_close(&a);
}

/* ---- defect 2: honest log floors --------------------------------------- */

/* The default scene decayed until the loss is exactly 0: the loss axis
 * ends on a marked floor at most 16 decades below its top, the curve is
 * drawn on it, and the title says what 0 means. */
static void test_loss_floor(void **st)
{
    (void)st;
    app a;
    open_app(&a, "scenes/prop2-quad.scene", NULL, 300);
    app_act(&a, ACT_DECAY);
    app_run_to(&a, 2000);
    assert_true(a.r->last.train_loss == 0.0);
    canvas c;
    assert_int_equal(canvas_init(&c, 50, 16, GLYPH_BRAILLE), 0);
    panel_loss(&c, (rect){0, 0, 50, 16}, &a);
    char *t = canvas_text_dup(&c);
    assert_non_null(strstr(t, "train <1e-300"));
    assert_null(strstr(t, "train 0 "));
    /* the floor row: marked, at most 16 decades down, holding the curve */
    int row = -1;
    for (int y = 0; y < c.h && row < 0; y++)
        if (strstr(line_of(t, y), "\xE2\x89\xA4" "1e-"))
            row = y;
    if (row < 0)
        fail_msg("no marked floor:\n%s", t);
    int dec = atoi(strstr(line_of(t, row), "1e-") + 3);
    assert_true(dec <= 17);
    int dots = 0;
    for (int x = 0; x < c.w; x++) {
        const cell *k = &c.cells[row * c.w + x];
        dots += k->ch == 0 && k->role == ROLE_TRAIN;
    }
    if (dots < 10)
        fail_msg("the zero loss is not drawn on the floor:\n%s", t);
    free(t);
    canvas_free(&c);
    app_close(&a);
}

/* What lies below the spectrum's rounding floor can't change the frame:
 * the same run with its sub-floor σk set to other tiny values (as another
 * CPU or BLAS kernel would give) draws the same text. */
static void test_spectrum_floor(void **st)
{
    (void)st;
    static const char *const sets[] = {"seed=3", NULL};
    app a;
    open_app(&a, "scenes/fig2-diag-decay50.scene", sets, 20000);
    run *r = a.r;
    size_t n = r->last.nsv;
    assert_true(n > 20);
    double fl = panel_sv_floor(n, r->m.p);
    assert_true(fl >= 10 * (double)r->m.p * DBL_EPSILON && fl < 1e-10);
    char *t[3];
    static const double tiny[3] = {1e-14, 1e-25, 0.0};
    for (int v = 0; v < 3; v++) {
        for (size_t k = n - 8; k < n; k++)
            r->sv[k] = r->sv[0] * fl * tiny[v] / 1e-14 * 0.5;
        canvas c;
        assert_int_equal(canvas_init(&c, 50, 14, GLYPH_BRAILLE), 0);
        panel_spectrum(&c, (rect){0, 0, 50, 14}, &a);
        t[v] = canvas_text_dup(&c);
        canvas_free(&c);
    }
    assert_string_equal(t[0], t[1]);
    assert_string_equal(t[0], t[2]);
    assert_non_null(strstr(t[0], "\xE2\x89\xA4"));
    for (int v = 0; v < 3; v++)
        free(t[v]);
    app_close(&a);
}

/* ---- defect 3: labels that agree with the run -------------------------- */

static void test_batch_only_for_sgd(void **st)
{
    (void)st;
    static const char *const dyn[][2] = {{"dynamics=gd", NULL},
                                         {"dynamics=flow", NULL}};
    for (size_t i = 0; i < 2; i++) {
        char *t = render("scenes/prop2-quad-below.scene", dyn[i], 100,
                         GLYPH_BRAILLE, 100, 30, NULL);
        if (strstr(t, "B="))
            fail_msg("%s labelled with a batch size:\n%s", dyn[i][0], t);
        free(t);
    }
    char *t = render("scenes/prop2-quad.scene", NULL, 100, GLYPH_BRAILLE,
                     100, 30, NULL);
    assert_non_null(strstr(t, "SGD B=1"));
    free(t);
}

static void at_theta_star(app *a)
{
    a->r->theta[0] = a->r->m.prm.theta_star;
}

static void near_theta_star(app *a)
{
    a->r->theta[0] = a->r->m.prm.theta_star * (1 - 1e-9);
}

static void test_theta_side(void **st)
{
    (void)st;
    char *t = render("scenes/prop2-quad.scene", NULL, 100, GLYPH_BRAILLE,
                     100, 30, at_theta_star);
    assert_non_null(strstr(t, "θ at θ*"));
    assert_null(strstr(t, "left of"));
    assert_null(strstr(t, "right of"));
    free(t);
    t = render("scenes/prop2-quad.scene", NULL, 100, GLYPH_BRAILLE, 100, 30,
               near_theta_star);
    assert_non_null(strstr(t, "θ=θ*−1e-9"));
    free(t);
}

/* η = 1.133 against Proposition 2's (1, 1.1338): digits enough to see
 * which side of the end η is on. */
static void test_eta_digits(void **st)
{
    (void)st;
    static const char *const sets[] = {"eta=1.133", NULL};
    char *t = render("scenes/prop2-quad.scene", sets, 10, GLYPH_BRAILLE,
                     120, 40, NULL);
    if (!strstr(t, "η=1.133 · inside (1, 1.134)"))
        fail_msg("ambiguous η:\n%s", line_of(t, 38));
    free(t);
}

static void set_erratic(app *a)
{
    a->r->last.verdict = VERDICT_ERRATIC;
}

static void set_converged(app *a)
{
    a->r->last.verdict = VERDICT_CONVERGED;
}

/* The word on screen is the run's verdict; a diverged run never shows a
 * bouncing or converging word. */
static void test_verdict_words(void **st)
{
    (void)st;
    char *t = render("scenes/fig2-diag-small.scene", NULL, 3000,
                     GLYPH_BRAILLE, 100, 30, set_erratic);
    assert_non_null(strstr(line_of(t, 28), "erratic"));
    assert_non_null(strstr(line_of(t, 1), "erratic"));
    free(t);
    t = render("scenes/prop2-quad.scene", NULL, 300, GLYPH_BRAILLE, 100, 30,
               set_converged);
    assert_non_null(strstr(line_of(t, 28), "converged"));
    free(t);
    static const char *const sets[] = {"eta=3", NULL};
    t = render("scenes/prop2-quad.scene", sets, 500, GLYPH_BRAILLE, 100, 30,
               NULL);
    static const char *const words[] = {"bouncing", "converging",
                                        "converged", "erratic", "crossing"};
    for (size_t i = 0; i < 5; i++)
        if (strstr(t, words[i]))
            fail_msg("a diverged run says '%s':\n%s", words[i], t);
    assert_non_null(strstr(line_of(t, 28), "DIVERGED"));
    free(t);
}

/* ---- defect 4: the valley ---------------------------------------------- */

/* The valley's y tick labels (its left gutter) as one string. */
static void valley_axis(const app *a, char *out, size_t cap)
{
    canvas c;
    assert_int_equal(canvas_init(&c, 40, 11, GLYPH_BRAILLE), 0);
    panel_valley(&c, (rect){0, 0, 40, 11}, a);
    char *t = canvas_text_dup(&c);
    out[0] = 0;
    for (int y = 1; y < 10; y++) {
        const char *l = line_of(t, y);
        size_t n = strcspn(l, "\xE2"); /* up to the axis line */
        strncat(out, l, n < cap - strlen(out) - 2 ? n : 0);
        strcat(out, "|");
    }
    free(t);
    canvas_free(&c);
}

/* While the run bounces the valley's axes hold: over 20 frames of 250
 * steps (about 2.5 s at the default speed) they change at most twice
 * (they used to change nearly every frame). */
static void test_valley_steady(void **st)
{
    (void)st;
    static const char *const sets[] = {"seed=3", NULL};
    static const char *const scn[] = {"scenes/fig2-diag-decay50.scene",
                                      "scenes/fig4-relu-decay50.scene"};
    static const uint64_t at[] = {20000, 12000};
    for (int s = 0; s < 2; s++) {
        app a;
        open_app(&a, scn[s], s == 0 ? sets : NULL, at[s]);
        char prev[512], now[512];
        valley_axis(&a, prev, sizeof prev);
        int changes = 0;
        for (int k = 1; k <= 20; k++) {
            app_run_to(&a, at[s] + 250 * (uint64_t)k);
            valley_axis(&a, now, sizeof now);
            if (strcmp(prev, now) != 0) {
                changes++;
                if (changes > 2)
                    fail_msg("%s: the valley's axis changed %d times by "
                             "step %llu:\n%s\n%s", scn[s], changes,
                             (unsigned long long)a.r->t, prev, now);
                strcpy(prev, now);
            }
        }
        app_close(&a);
    }
}

/* A frame is a function of the run: drawing frames on the way (as a
 * recording does) or jumping to the step (as --snapshot does) ends on
 * the same text. */
static void test_valley_deterministic(void **st)
{
    (void)st;
    app a, b;
    open_app(&b, "scenes/fig4-relu-decay50.scene", NULL, 10000);
    open_app(&a, "scenes/fig4-relu-decay50.scene", NULL, 0);
    a.spf = 250;
    while (a.r->t < 10000) {
        app_tick(&a, 1);
        free(draw_app(&a, GLYPH_BRAILLE, 80, 24));
    }
    app_run_to(&a, 10000);
    a.spf = b.spf; /* the speed is on screen */
    char *ta = draw_app(&a, GLYPH_BRAILLE, 80, 24);
    char *tb = draw_app(&b, GLYPH_BRAILLE, 80, 24);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    app_close(&a);
    app_close(&b);
}

/* quad1d: the frame is the band the iterate lives in (the bounce fills
 * the panel, not the bottom two rows of a 0–0.25 axis), θ* is named. */
static void test_valley_quad_frame(void **st)
{
    (void)st;
    app a;
    open_app(&a, "scenes/prop2-quad.scene", NULL, 1500);
    char ax[512];
    valley_axis(&a, ax, sizeof ax);
    double top = 0;
    for (const char *p = ax; *p; p++)
        if ((*p >= '0' && *p <= '9') && (p == ax || p[-1] == ' ' ||
                                         p[-1] == '|'))
            top = fmax(top, atof(p));
    if (!(top > 0.02 && top < 0.1))
        fail_msg("valley axis top %g: %s", top, ax);
    char *t = draw_app(&a, GLYPH_BRAILLE, 80, 24);
    assert_non_null(strstr(t, "θ*"));
    free(t);
    app_close(&a);
}

/* Titles are legends: each curve's word in its colour; the band is a
 * half-tone apart from the curve; β* never shares a cell with β. */
static void test_legends(void **st)
{
    (void)st;
    static const char *const sets[] = {"seed=3", NULL};
    app a;
    open_app(&a, "scenes/fig2-diag-decay50.scene", sets, 20000);
    canvas c;
    assert_int_equal(canvas_init(&c, 60, 14, GLYPH_BRAILLE), 0);
    panel_loss(&c, (rect){0, 0, 60, 14}, &a);
    char *t = canvas_text_dup(&c);
    const char *l0 = line_of(t, 0);
    static const struct {
        const char *word;
        int role;
    } want[] = {{"train", ROLE_TRAIN}, {"test", ROLE_TEST},
                {"band", ROLE_BAND}};
    for (size_t i = 0; i < 3; i++) {
        const char *p = strstr(l0, want[i].word);
        if (!p)
            fail_msg("no '%s' in '%s'", want[i].word, l0);
        /* the cell index: code points before p */
        int x = 0;
        for (const char *q = l0; q < p; q++)
            x += (*q & 0xC0) != 0x80;
        assert_int_equal(c.cells[x].role, want[i].role);
    }
    free(t);
    canvas_free(&c);
    assert_int_equal(canvas_init(&c, 40, 10, GLYPH_BRAILLE), 0);
    panel_predictor(&c, (rect){0, 0, 40, 10}, &a);
    int marks = 0;
    for (int i = 0; i < c.w * c.h; i++) {
        const cell *k = &c.cells[i];
        assert_false(k->ch == 0 && k->dots && k->role == ROLE_TEST);
        marks += k->ch == 0x25B4 && k->role == ROLE_TEST;
    }
    assert_true(marks >= 2);
    canvas_free(&c);
    app_close(&a);
}

/* ---- defect 7: sharpness ----------------------------------------------- */

static void fake_sharpness(app *a)
{
    run *r = a->r;
    history_clear(&r->h_sharp);
    for (uint64_t s = 0; s <= r->t; s += 100)
        history_push(&r->h_sharp, s, 5.0 + 15.0 * (double)s / (double)r->t);
    r->last.sharpness_now = 23.1; /* the readout */
}

static void test_sharpness_strip(void **st)
{
    (void)st;
    static const char *const sets[] = {"seed=3", NULL};
    char *t = render("scenes/fig2-diag-decay50.scene", sets, 20000,
                     GLYPH_BRAILLE, 80, 24, fake_sharpness);
    assert_non_null(strstr(t, "λmax 23.1"));
    assert_non_null(strstr(t, "2/η 7.41")); /* η = 0.27 */
    assert_non_null(strstr(t, "full-batch"));
    free(t);
    app a;
    open_app(&a, "scenes/fig2-diag-decay50.scene", sets, 20000);
    fake_sharpness(&a);
    canvas c;
    assert_int_equal(canvas_init(&c, 50, 20, GLYPH_BRAILLE), 0);
    panel_loss(&c, (rect){0, 0, 50, 20}, &a);
    /* λmax drawn in the strip (the lower third) */
    int dots = 0;
    for (int y = 14; y < 20; y++)
        for (int x = 0; x < c.w; x++) {
            const cell *k = &c.cells[y * c.w + x];
            dots += k->ch == 0 && k->dots && k->role == ROLE_TRAIN;
        }
    assert_true(dots > 10);
    canvas_free(&c);
    /* unknown sharpness reads "–", never nan */
    a.r->last.sharpness_now = NAN;
    history_clear(&a.r->h_sharp);
    char *u = draw_app(&a, GLYPH_BRAILLE, 80, 24);
    assert_non_null(strstr(u, "λmax –"));
    assert_null(strstr(u, "nan"));
    free(u);
    app_close(&a);
}


/* ---- the neuron picture (ts2, ts3) -------------------------------------- */

/* Fig. 9's large step, decayed, short enough for a test. */
static const char *const ts2_sets[] = {"model=ts2", "eta=0.455",
                                       "decays=30%:4", "steps=3000", NULL};

static void test_ts2_tiers(void **st)
{
    (void)st;
    frame("ts2-braille", NULL, ts2_sets, 3000, GLYPH_BRAILLE, NULL);
    frame("ts2-block", NULL, ts2_sets, 3000, GLYPH_BLOCK, NULL);
    frame("ts2-ascii", NULL, ts2_sets, 3000, GLYPH_ASCII, NULL);
    static const int sz[][2] = {{80, 24}, {160, 50}};
    for (size_t k = 0; k < 2; k++) {
        char name[64];
        snprintf(name, sizeof name, "ts2-%dx%d", sz[k][0], sz[k][1]);
        char *t = render(NULL, ts2_sets, 3000, GLYPH_BRAILLE, sz[k][0],
                         sz[k][1], NULL);
        check_golden(name, t);
        free(t);
    }
}

/* The bounding box of the dot cells of one role, in cells. */
static void role_box(const canvas *c, int role, int *x0, int *y0, int *x1,
                     int *y1)
{
    *x0 = *y0 = 1 << 20;
    *x1 = *y1 = -1;
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            const cell *k = &c->cells[y * c->w + x];
            if (k->ch != 0 || !k->dots || k->role != role)
                continue;
            *x0 = x < *x0 ? x : *x0;
            *x1 = x > *x1 ? x : *x1;
            *y0 = y < *y0 ? y : *y0;
            *y1 = y > *y1 ? y : *y1;
        }
}

/* The cells holding a neuron's glyph below the title (whose legend shows
 * one): their count, and the last one. */
static int neuron_cells(const canvas *c, int *cx, int *cy)
{
    int n = 0;
    for (int y = 1; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            const cell *k = &c->cells[y * c->w + x];
            if ((k->ch == 0x25CF || k->ch == '@') && k->role == ROLE_ITERATE) {
                n++;
                *cx = x;
                *cy = y;
            }
        }
    return n;
}

/* Every ts2 neuron put at p (|a_j| = 1, w_j = p), the trail forgotten. */
static void neurons_at_point(app *a, double px, double py)
{
    run *R = a->r;
    size_t m = (size_t)R->m.prm.m, d = R->m.dim;
    assert_int_equal(d, 2);
    for (size_t j = 0; j < m; j++) {
        R->theta[j * d] = px;
        R->theta[j * d + 1] = py;
        R->theta[m * d + j] = 1.0;
    }
    R->trail_len = 0;
}

/* ts3 (d = 5): the first layer's neurons projected on the plane of the
 * two teacher directions, and the title says it is a projection, in
 * every tier and at the smallest sizes. */
static const char *const ts3_sets[] = {"model=ts3", "steps=2000", NULL};

static void test_ts3_projection(void **st)
{
    (void)st;
    frame("ts3-braille", NULL, ts3_sets, 2000, GLYPH_BRAILLE, NULL);
    frame("ts3-block", NULL, ts3_sets, 2000, GLYPH_BLOCK, NULL);
    frame("ts3-ascii", NULL, ts3_sets, 2000, GLYPH_ASCII, NULL);
    static const int sz[][2] = {{60, 18}, {80, 24}, {100, 30}, {160, 50}};
    for (int tier = 0; tier < 3; tier++)
        for (size_t k = 0; k < 4; k++) {
            char *t = render(NULL, ts3_sets, 2000, (glyph_tier)tier,
                             sz[k][0], sz[k][1], NULL);
            if (!strstr(t, "Neurons (proj") &&
                !strstr(t, "(projection on the teacher plane)"))
                fail_msg("tier %d %dx%d: no projection in the title:\n%s",
                         tier, sz[k][0], sz[k][1], t);
            free(t);
        }
}

/* One unit is as long across as up in every tier (cells are about twice
 * as tall as wide), in a wide and in a tall panel: the unit circle's
 * box is as wide as twice its height, and a neuron at (1, 0) lies on
 * the circle's middle row at its right end, one at (0, 1) on its middle
 * column at its top (a neuron of length 1 makes the frame ±1, so the
 * whole circle is in it). */
static void test_neurons_round(void **st)
{
    (void)st;
    static const char *const sets[] = {"model=ts2", "steps=10", NULL};
    static const int panels[][2] = {{60, 20}, {40, 30}, {100, 14}};
    app a;
    open_app(&a, NULL, sets, 10);
    for (int tier = 0; tier < 3; tier++)
        for (size_t k = 0; k < 3; k++) {
            int W = panels[k][0], H = panels[k][1];
            for (int dir = 0; dir < 2; dir++) {
                neurons_at_point(&a, dir ? 0.0 : 1.0, dir ? 1.0 : 0.0);
                canvas c;
                assert_int_equal(canvas_init(&c, W, H, (glyph_tier)tier),
                                 0);
                panel_predictor(&c, (rect){0, 0, W, H}, &a);
                int x0, y0, x1, y1, nx = -1, ny = -1;
                role_box(&c, ROLE_DIM, &x0, &y0, &x1, &y1);
                int w = x1 - x0 + 1, h = y1 - y0 + 1;
                if (abs(w - 2 * h) > 2 + w / 10)
                    fail_msg("tier %d, %dx%d: the circle is %d cells wide "
                             "and %d high", tier, W, H, w, h);
                assert_int_equal(neuron_cells(&c, &nx, &ny), 1);
                double mx = 0.5 * (x0 + x1), my = 0.5 * (y0 + y1);
                double ex = dir ? mx : x1;
                double ey = dir ? y0 : my;
                if (fabs(nx - ex) > 1.0 || fabs(ny - ey) > 1.0)
                    fail_msg("tier %d, %dx%d: the neuron at (%g, %g) is in "
                             "cell (%d, %d), not near (%.1f, %.1f)", tier, W,
                             H, dir ? 0.0 : 1.0, dir ? 1.0 : 0.0, nx, ny, ex,
                             ey);
                canvas_free(&c);
            }
        }
    app_close(&a);
}

/* The scale: the frame's half-extent S, in the title, is the smallest of
 * 1, 1.5, 2, 3, 5, 7 × 10^k holding every neuron and the trail (the
 * neurons zoom in: at step 3000 they reach about 0.3, well inside the
 * unit circle); the teacher's rays and a neuron's glyph are drawn. */
static void test_neurons_scale(void **st)
{
    (void)st;
    app a;
    open_app(&a, NULL, ts2_sets, 3000);
    const run *R = a.r;
    double big = 0.0, xy[2 * 64], txy[2 * 8];
    for (size_t k = 0; k < R->trail_len; k++) {
        size_t n, tn;
        int proj;
        R->m.ops->neurons(&R->m, run_trail_at(R, k), xy, 64, &n, txy, 8, &tn,
                          &proj);
        assert_int_equal(proj, 0);
        assert_true(n <= 64);
        for (size_t j = 0; j < n; j++)
            big = fmax(big, hypot(xy[2 * j], xy[2 * j + 1]));
    }
    canvas c;
    assert_int_equal(canvas_init(&c, 70, 20, GLYPH_BRAILLE), 0);
    panel_predictor(&c, (rect){0, 0, 70, 20}, &a);
    char *t = canvas_text_dup(&c);
    const char *p = strstr(line_of(t, 0), "frame ±");
    if (!p)
        fail_msg("no scale in '%s'", line_of(t, 0));
    double S = strtod(p + strlen("frame ±"), NULL);
    double e = pow(10.0, floor(log10(S) + 1e-9)), m = S / e;
    assert_true(fabs(m - 1) < 1e-9 || fabs(m - 1.5) < 1e-9 ||
                fabs(m - 2) < 1e-9 || fabs(m - 3) < 1e-9 ||
                fabs(m - 5) < 1e-9 || fabs(m - 7) < 1e-9);
    assert_true(big > 0 && big < 1); /* the zoom is what this checks */
    if (!(S >= big && S / 1.5 < big * 1.0000001))
        fail_msg("scale ±%g for a reach of %g", S, big);
    assert_null(strstr(t, "projection"));
    int x, y, rays = 0;
    assert_true(neuron_cells(&c, &x, &y) >= 1);
    for (int i = 0; i < c.w * c.h; i++)
        rays += c.cells[i].ch == 0 && c.cells[i].role == ROLE_TEST;
    assert_true(rays > 20);
    free(t);
    canvas_free(&c);
    app_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quad_tiers),
        cmocka_unit_test(test_diag_tiers),
        cmocka_unit_test(test_relu_tiers),
        cmocka_unit_test(test_surface_tiers),
        cmocka_unit_test(test_ts2_tiers),
        cmocka_unit_test(test_ts3_projection),
        cmocka_unit_test(test_neurons_round),
        cmocka_unit_test(test_neurons_scale),
        cmocka_unit_test(test_overlays),
        cmocka_unit_test(test_help_lists_every_key),
        cmocka_unit_test(test_help_and_prompt_leave_the_status),
        cmocka_unit_test(test_extreme_sizes),
        cmocka_unit_test(test_scene_goldens),
        cmocka_unit_test(test_states_fit_80x24),
        cmocka_unit_test(test_loss_whole_run),
        cmocka_unit_test(test_loss_floor),
        cmocka_unit_test(test_spectrum_floor),
        cmocka_unit_test(test_batch_only_for_sgd),
        cmocka_unit_test(test_theta_side),
        cmocka_unit_test(test_eta_digits),
        cmocka_unit_test(test_verdict_words),
        cmocka_unit_test(test_valley_steady),
        cmocka_unit_test(test_valley_deterministic),
        cmocka_unit_test(test_valley_quad_frame),
        cmocka_unit_test(test_legends),
        cmocka_unit_test(test_sharpness_strip),
    };
    return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
