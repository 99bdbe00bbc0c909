/* test_view.c — golden text frames of the whole screen: every model in
 * every glyph tier, plus the overlays (help, divergence, too small).
 * Frames are compared byte for byte with tests/golden/NAME.txt; run with
 * SGDSCOPE_UPDATE_GOLDEN=1 to rewrite them (then read the diff!). */
#include "testutil.h"

#include "app.h"
#include "canvas.h"
#include "view.h"

static char *render(const char *scene_path, const char *const *sets,
                    uint64_t steps, glyph_tier tier, int w, int h,
                    void (*tweak)(app *))
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
    app a;
    char err[256];
    if (app_open(&a, &s, NULL, err, sizeof err) != 0)
        fail_msg("app_open: %s", err);
    app_run_to(&a, steps);
    if (tweak)
        tweak(&a);
    canvas c;
    assert_int_equal(canvas_init(&c, w, h, tier), 0);
    view_draw(&c, &a);
    size_t need = canvas_to_text(&c, NULL, 0) + 1;
    char *buf = malloc(need);
    assert_non_null(buf);
    canvas_to_text(&c, buf, need);
    canvas_free(&c);
    app_close(&a);
    return buf;
}

static void check_golden(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "tests/golden/%s.txt", name);
    const char *upd = getenv("SGDSCOPE_UPDATE_GOLDEN");
    if (upd && *upd) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("missing golden %s", path);
    static char want[1 << 20];
    size_t n = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[n] = 0;
    if (strcmp(want, text) != 0) {
        /* show the first differing line to make the failure readable */
        const char *a = want, *b = text;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++, b++;
        }
        fail_msg("%s differs from the golden at line %d:\n%s\n--- got ---\n%s",
                 name, line, want, text);
    }
    /* never a screen of nan */
    assert_null(strstr(text, "nan"));
    assert_null(strstr(text, "inf"));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quad_tiers),
        cmocka_unit_test(test_diag_tiers),
        cmocka_unit_test(test_relu_tiers),
        cmocka_unit_test(test_overlays),
        cmocka_unit_test(test_help_lists_every_key),
        cmocka_unit_test(test_extreme_sizes),
    };
    return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
