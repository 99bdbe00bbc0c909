/* scene.c — the scene format: one table of fields drives parsing,
 * defaults, range checks, error hints and the man page's field list
 * (scene_field_info).  Value parsers live in scene_value.c.
 *
 * A load parses into a copy and commits only on success, so a bad file or
 * --set leaves the scene as it was. */
#include "scene.h"

#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "regfile.h"
#include "sanitize.h"
#include "scene_value.h"
#include "teacher.h"

#define LINE_MAX_LEN 4096
#define FILE_MAX_LEN (1u << 20)

/* Field numbers: the index into scene_fields, set_line and set_col. */
enum {
    F_TITLE, F_MODEL, F_SEED, F_DATA_SEED, F_RNG, F_STEPS, F_EVERY, F_DYNAMICS, F_BATCH, F_ETA,
    F_DECAY, F_DECAYS, F_WARMUP, F_WARMUP_DECAY, F_EXPWARMUP, F_SDE_SUBSTEPS,
    F_SDE_SCALE, F_SDE_DELTA, F_SDE_COMPANION, F_FLOW_SUBSTEPS, F_DIVERGE_LOSS, F_RANK_TOL, F_L0_TOL,
    F_CORR, F_BAND_WINDOW, F_BAND_LO, F_BAND_HI,
    F_A, F_B, F_THETA_STAR, F_THETA0, F_N, F_D, F_R, F_N_TEST, F_INIT_U,
    F_INIT_V, F_M, F_TEACHER, F_INIT_W, F_INIT_B, F_INIT_A, F_POINTS,
    F_DATA, F_TEST_DATA,
    F_SURFACE, F_SURFACE_LO, F_SURFACE_HI, F_SURFACE_CLIP, F_SURFACE_GRID,
    F_COUNT
};

/* The slot after the fields records which file the timeline came from
 * (set_file only), for errors found once the whole scene is known. */
#define F_EVENTS F_COUNT

_Static_assert(F_EVENTS < SCENE_MAX_FIELDS, "scene.set_line is too small");

#define M(member) offsetof(scene, member), sizeof(((scene *)0)->member)
#define NOMEM 0, 0
#define GT0 SR_LO | SR_XLO, 0, 0
#define GE0 SR_LO, 0, 0
#define ANY 0, 0, 0
#define ATLEAST(x) SR_LO, (x), 0
#define BETWEEN(a, b) SR_LO | SR_HI, (a), (b)

static const scene_field scene_fields[F_COUNT] = {
    [F_TITLE] = {"title", ST_STRING, M(title), ANY, NULL,
                 "shown in the UI's title bar"},
    [F_MODEL] = {"model", ST_MODEL, M(model), ANY, "quad1d",
                 "the toy model: quad1d, diagnet, relu1d, ts2 or ts3"},
    [F_SEED] = {"seed", ST_U64, M(seed), GE0, "1",
                "seeds the run: initialization and sampling order"},
    [F_DATA_SEED] = {"data_seed", ST_U64, M(data_seed), GE0, "0",
                     "seeds the data: training and test sets, beta*, probes"},
    [F_RNG] = {"rng", ST_RNG, NOMEM, ANY, "sgdscope",
               "random source: sgdscope, or numpy for the notebooks' draws"},
    [F_STEPS] = {"steps", ST_U64, M(steps), ATLEAST(1), "2000",
                 "run length N; fractions in schedules refer to it"},
    [F_EVERY] = {"every", ST_U64, M(every), GE0, "1",
                 "evaluate metrics every this many steps; 0: only at the end"},
    [F_DYNAMICS] = {"dynamics", ST_DYN, NOMEM, ANY, "sgd",
                    "sgd, gd, labelnoise, sde or flow"},
    [F_BATCH] = {"batch", ST_SIZE, M(dyn.batch), BETWEEN(1, 1000000), "1",
                 "SGD batch size B"},
    [F_ETA] = {"eta", ST_DOUBLE, M(sched.eta0), GT0, "1.1",
               "initial step size"},
    [F_DECAY] = {"decay", ST_DOUBLE, M(sched.decay_factor), GT0, "2",
                 "what the \"decay now\" key divides the step size by"},
    [F_DECAYS] = {"decays", ST_DECAYS, NOMEM, ANY, "none",
                  "scheduled decays AT:FACTOR, AT a step, N% or a fraction"},
    [F_WARMUP] = {"warmup", ST_WARMUP, NOMEM, ANY, "none",
                  "linear/power warmup F:K:Q to W = K*F times eta"},
    [F_WARMUP_DECAY] = {"warmup_decay", ST_DOUBLE, M(sched.warm_decay), GT0,
                        "1", "divides the step size when the warmup ends"},
    [F_EXPWARMUP] = {"expwarmup", ST_EXPWARM, NOMEM, ANY, "none",
                     "exponential warmup FACTOR:MAX[:EPOCH]"},
    [F_SDE_SUBSTEPS] = {"sde_substeps", ST_INT, M(dyn.sde_substeps),
                        BETWEEN(1, 1000), "10",
                        "Euler-Maruyama substeps per step of the SDE"},
    [F_SDE_SCALE] = {"sde_scale", ST_DOUBLE, M(dyn.sde_scale), GE0, "1",
                     "multiplies the SDE's noise level"},
    [F_SDE_DELTA] = {"sde_delta", ST_DOUBLE, M(dyn.sde_delta), GE0, "0",
                     "a fixed SDE noise level delta; 0: track 4cL as SGD"},
    [F_SDE_COMPANION] = {"sde_companion", ST_STRING, M(sde_companion), ANY,
                         NULL, "sde: the comparison's SGD run whose loss "
                         "sets delta"},
    [F_FLOW_SUBSTEPS] = {"flow_substeps", ST_INT, M(dyn.flow_substeps),
                         BETWEEN(1, 10000), "100",
                         "GD substeps per step of gradient flow"},
    [F_DIVERGE_LOSS] = {"diverge_loss", ST_DOUBLE, M(dyn.max_loss), GT0,
                        "1e10", "a loss above this counts as divergence"},
    [F_RANK_TOL] = {"rank_tol", ST_DOUBLE, M(rank_tol),
                    SR_LO | SR_HI | SR_XLO | SR_XHI, 0, 1, "1e-10",
                    "NTK rank counts sigma_k/sigma_1 above this"},
    [F_L0_TOL] = {"l0_tol", ST_DOUBLE, M(l0_tol), GT0, "1e-6",
                  "diagnet: ||beta||_0 counts |u_j v_j| above this"},
    [F_CORR] = {"corr", ST_DOUBLE, M(corr), SR_LO | SR_HI | SR_XLO, 0, 1,
                "0.999",
                "relu1d, ts2, ts3: neurons correlated above this count once"},
    [F_BAND_WINDOW] = {"band_window", ST_U32, M(band_window),
                       BETWEEN(2, 100000), "50",
                       "evaluations in the loss band's trailing window"},
    [F_BAND_LO] = {"band_lo", ST_DOUBLE, M(band_lo), BETWEEN(0, 1), "0.1",
                   "lower quantile of the loss band"},
    [F_BAND_HI] = {"band_hi", ST_DOUBLE, M(band_hi), BETWEEN(0, 1), "0.9",
                   "upper quantile of the loss band"},
    [F_A] = {"a", ST_DOUBLE, M(mp.a), GT0, "1",
             "quad1d: x ~ U[a, b]"},
    [F_B] = {"b", ST_DOUBLE, M(mp.b), GT0, "1.05",
             "quad1d: x ~ U[a, b], a < b"},
    [F_THETA_STAR] = {"theta_star", ST_DOUBLE, M(mp.theta_star), GT0, "1",
                      "quad1d: the target, y = x theta_star^2"},
    [F_THETA0] = {"theta0", ST_DOUBLE, M(mp.theta0), ANY, "0.3",
                  "quad1d: initial iterate"},
    [F_N] = {"n", ST_INT, M(mp.n), BETWEEN(0, 1000000), "0",
             "training points; quad1d: 0 = online"},
    [F_D] = {"d", ST_INT, M(mp.d), BETWEEN(1, 4096), "200",
             "diagnet, ts2, ts3: input dimension"},
    [F_R] = {"r", ST_INT, M(mp.r), BETWEEN(1, 4096), "20",
             "diagnet: non-zero entries of beta*, r <= d"},
    [F_N_TEST] = {"n_test", ST_INT, M(mp.n_test), BETWEEN(0, 1000000),
                  "1000", "diagnet, ts2, ts3: test points"},
    [F_INIT_U] = {"init_u", ST_DOUBLE, M(mp.init_u), ANY, "0.1",
                  "diagnet: u = init_u * 1 at start"},
    [F_INIT_V] = {"init_v", ST_DOUBLE, M(mp.init_v), ANY, "0",
                  "diagnet: v = init_v * 1 at start"},
    [F_M] = {"m", ST_INT, M(mp.m), BETWEEN(1, 4096), "100",
             "relu1d, ts2: hidden neurons; ts3: each hidden layer's"},
    [F_TEACHER] = {"teacher", ST_INT, M(mp.teacher), BETWEEN(1, 64), "3",
                   "ts2: teacher neurons; ts3: each teacher hidden layer's"},
    [F_INIT_W] = {"init_w", ST_DOUBLE, M(mp.init_w), ANY, "2.5",
                  "relu1d: w_j = +-init_w; ts2, ts3: weights init_w*N(0,1)"},
    [F_INIT_B] = {"init_b", ST_DOUBLE, M(mp.init_b), ANY, "2.5",
                  "relu1d: b_j = init_b * N(0,1)"},
    [F_INIT_A] = {"init_a", ST_DOUBLE, M(mp.init_a), ANY, "4",
                  "relu1d, ts2: a_j = init_a * N(0,1)"},
    [F_POINTS] = {"points", ST_POINTS, NOMEM, ANY, "none",
                  "relu1d: training points x:y ...; none = the paper's 12"},
    [F_DATA] = {"data", ST_PATH, M(data), ANY, "none",
                "diagnet, relu1d: training points from a CSV file x1..xd,y"},
    [F_TEST_DATA] = {"test_data", ST_PATH, M(test_data), ANY, "none",
                     "diagnet: test points from a CSV file x1..xd,y"},
    [F_SURFACE] = {"surface", ST_SURFACE, NOMEM, ANY, "none",
                   "loss-surface plane: none, own (2-D models) or fig3"},
    [F_SURFACE_LO] = {"surface_lo", ST_DOUBLE, M(surface_lo), ANY, "-0.5",
                      "surface: both plane coordinates start here"},
    [F_SURFACE_HI] = {"surface_hi", ST_DOUBLE, M(surface_hi), ANY, "2.3",
                      "surface: both plane coordinates end here"},
    [F_SURFACE_CLIP] = {"surface_clip", ST_DOUBLE, M(surface_clip), GT0,
                        "100", "surface: losses above this are drawn at it"},
    [F_SURFACE_GRID] = {"surface_grid", ST_INT, M(surface_grid),
                        BETWEEN(SURFACE_GRID_MIN, SURFACE_GRID_MAX), "96",
                        "surface: grid points per coordinate"},
};

/* Defaults that depend on the model, applied by scene_finalize to fields
 * the scene left unset.  A model without rows keeps the generic defaults
 * (those of quad1d). */
static const struct {
    const char *model;
    int field;
    const char *value;
} model_defaults[] = {
    {"quad1d", F_ETA, "1.1"},      {"quad1d", F_STEPS, "2000"},
    {"quad1d", F_EVERY, "1"},      {"quad1d", F_RANK_TOL, "1e-10"},
    {"quad1d", F_N, "0"},
    {"diagnet", F_ETA, "0.25"},    {"diagnet", F_STEPS, "100001"},
    /* 285 gives about 350 evaluations in 10^5 steps */
    {"diagnet", F_EVERY, "285"},   {"diagnet", F_RANK_TOL, "1e-10"},
    {"diagnet", F_N, "80"},
    {"relu1d", F_ETA, "2e-4"},     {"relu1d", F_STEPS, "31623"},
    {"relu1d", F_EVERY, "100"},    {"relu1d", F_RANK_TOL, "1e-4"},
    /* the notebooks' teacher-student setups (spec 1.4); N = 10^4.15 + 1 */
    {"ts2", F_D, "2"},             {"ts2", F_N, "15"},
    {"ts2", F_N_TEST, "1000"},     {"ts2", F_M, "20"},
    {"ts2", F_TEACHER, "3"},       {"ts2", F_INIT_W, "0.5"},
    {"ts2", F_INIT_A, "0"},        {"ts2", F_ETA, "0.13"},
    {"ts2", F_STEPS, "14126"},     {"ts2", F_EVERY, "50"},
    {"ts2", F_CORR, "0.99"},       {"ts2", F_RANK_TOL, "1e-4"},
    /* N = 10^4 + 1; init_a is ts2's (ts3's output layer is init_w's) */
    {"ts3", F_D, "5"},             {"ts3", F_N, "50"},
    {"ts3", F_N_TEST, "1000"},     {"ts3", F_M, "10"},
    {"ts3", F_TEACHER, "2"},       {"ts3", F_INIT_W, "0.8"},
    {"ts3", F_ETA, "0.011"},       {"ts3", F_STEPS, "10001"},
    {"ts3", F_EVERY, "50"},        {"ts3", F_CORR, "0.99"},
    {"ts3", F_RANK_TOL, "1e-4"},
};

/* Models whose n = 0 means "a fresh sample each step" (no training set). */
static int model_online_when_n0(const char *name)
{
    return strcmp(name, "quad1d") == 0;
}

size_t scene_field_count(void)
{
    return F_COUNT;
}

const char *scene_field_name(size_t i)
{
    return i < F_COUNT ? scene_fields[i].name : NULL;
}

int scene_field_index(const char *name)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(scene_fields[i].name, name) == 0)
            return i;
    return -1;
}

int scene_field_info_at(size_t i, scene_field_info *out)
{
    static const char *const type_names[] = {
        [ST_INT] = "integer", [ST_U32] = "integer", [ST_U64] = "integer",
        [ST_SIZE] = "integer", [ST_DOUBLE] = "number", [ST_MODEL] = "model",
        [ST_DYN] = "dynamics", [ST_RNG] = "rng", [ST_STRING] = "string",
        [ST_DECAYS] = "decays", [ST_WARMUP] = "warmup",
        [ST_EXPWARM] = "expwarmup", [ST_POINTS] = "points",
        [ST_PATH] = "file", [ST_SURFACE] = "surface",
    };
    if (i >= F_COUNT)
        return -1;
    const scene_field *f = &scene_fields[i];
    out->name = f->name;
    out->type = type_names[f->type];
    out->def = f->def ? f->def : "";
    out->help = f->help;
    scene_value_range(f, out->range, sizeof out->range);
    return 0;
}

const char *scene_field_model_default(size_t i, const char *mname)
{
    for (size_t k = 0; k < sizeof model_defaults / sizeof model_defaults[0];
         k++)
        if ((size_t)model_defaults[k].field == i &&
            strcmp(model_defaults[k].model, mname) == 0)
            return model_defaults[k].value;
    return NULL;
}

/* Writes default text v into field i of s.  Defaults are trusted: they
 * are tested to parse, and the model name is checked in finalize. */
static void apply_text(scene *s, int i, const char *v)
{
    const scene_field *f = &scene_fields[i];
    scene_err e;
    scene_pos p = {"default", 0, 0};
    if (!v)
        memset((char *)s + f->off, 0, f->size);
    else if (f->type == ST_MODEL)
        snprintf(s->model, sizeof s->model, "%s", v);
    else
        scene_value_parse(s, f, v, &p, &e);
}

void scene_init(scene *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", "default");
    for (int i = 0; i < F_COUNT; i++)
        apply_text(s, i, scene_fields[i].def);
    s->sched.total_steps = s->steps;
}

/* ---- the line format ------------------------------------------------- */

/* Index of the first byte of ln that is not valid UTF-8 text or is a
 * control character other than tab; len if there is none.  *ctl tells
 * which of the two it is. */
static size_t line_bad_byte(const unsigned char *ln, size_t len, int *ctl)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = ln[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        *ctl = 1;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                return i;
            i++;
            continue;
        }
        *ctl = 0;
        if (c >= 0xC2 && c <= 0xDF) n = 2;
        else if (c >= 0xE0 && c <= 0xEF) n = 3;
        else if (c >= 0xF0 && c <= 0xF4) n = 4;
        else return i;
        /* Reject overlong forms, surrogates and code points > U+10FFFF. */
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        if (i + n > len || ln[i + 1] < lo || ln[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if ((ln[i + k] & 0xC0) != 0x80)
                return i;
        i += n;
    }
    return len;
}

static const char *field_name_at(size_t i)
{
    return scene_field_name(i);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Whether the line is a comparison's `run NAME` header: its first word is
 * `run` and no '=' follows (`run = x` is a key, and an unknown one). */
static int is_run_line(const char *ln, size_t len)
{
    size_t i = 0;
    while (i < len && is_blank(ln[i]))
        i++;
    if (len - i < 3 || memcmp(ln + i, "run", 3) != 0)
        return 0;
    i += 3;
    if (i < len && !is_blank(ln[i]))
        return 0;
    while (i < len && is_blank(ln[i]))
        i++;
    return i == len || ln[i] != '=';
}

/* Parses one line (no newline, validated) into s.  *kv is set when the
 * line held a key = value.  seen[] holds the line each field was set on
 * in this load, to refuse a key given twice.  events says whether `at`
 * lines are allowed (files) or not (--set).  Returns 1, leaving s alone,
 * for a `run NAME` line when stop_at_run. */
static int parse_line(scene *s, const char *ln, size_t len, const char *file,
                      int line, int *seen, int events, int stop_at_run,
                      int *kv, scene_err *e)
{
    char key[64], val[LINE_MAX_LEN + 1], hint[128];
    size_t i = 0, ks, klen, vn = 0;
    int vcol;

    while (i < len && is_blank(ln[i]))
        i++;
    if (i == len || ln[i] == '#')
        return 0;
    if (stop_at_run && is_run_line(ln, len))
        return 1;
    ks = i;
    while (i < len && !is_blank(ln[i]) && ln[i] != '=' && ln[i] != '#')
        i++;
    klen = i - ks;
    if (klen == 0)
        return scene_fail(e, file, line, scene_col_of(ln, ks),
                          "write 'key = value'", "expected a key before '='");
    /* cut on a character boundary: the key is quoted in errors */
    snprintf(key, sizeof key, "%.*s", (int)sanitize_clip(ln + ks, klen, 63),
             ln + ks);
    while (i < len && is_blank(ln[i]))
        i++;
    int is_at = klen == 2 && memcmp(ln + ks, "at", 2) == 0;
    if (is_at && (i == len || ln[i] != '=')) {
        if (!events)
            return scene_fail(e, file, line, scene_col_of(ln, ks),
                              "write timeline events in a scene file",
                              "--set cannot add timeline events");
        return scene_event_parse(s, ln, len, ks, file, line, e);
    }
    if (i == len || ln[i] != '=') {
        /* The hint is the line rewritten: "model: quad1d" (YAML habit) and
         * "model quad1d" both become "model = quad1d", so the fix can be
         * copied; only a line with no value gets the placeholder. */
        size_t kl = klen;
        while (kl > 1 && ln[ks + kl - 1] == ':')
            kl--;
        size_t vs = i, ve = i;
        while (ve < len && ln[ve] != '#')
            ve++;
        while (ve > vs && is_blank(ln[ve - 1]))
            ve--;
        int vlen = (int)sanitize_clip(ln + vs, ve - vs, 60);
        int shown = (int)sanitize_clip(ln + ks, kl, 40);
        if (vlen > 0)
            snprintf(hint, sizeof hint, "write '%.*s = %.*s'", shown,
                     ln + ks, vlen, ln + vs);
        else
            snprintf(hint, sizeof hint, "write '%.*s = VALUE'", shown,
                     ln + ks);
        if (kl < klen)
            return scene_fail(e, file, line, scene_col_of(ln, ks + kl), hint,
                              "expected '=' after '%.*s', got ':'", shown,
                              ln + ks);
        return scene_fail(e, file, line, scene_col_of(ln, ks + klen), hint,
                          "missing '=' after '%s'", key);
    }
    int idx = klen < 63 ? scene_field_index(key) : -1;
    if (idx < 0) {
        const char *near = scene_nearest(key, field_name_at);
        if (is_at)
            snprintf(hint, sizeof hint, "%s",
                     "a timeline event is written 'at STEP: KIND'");
        else if (near)
            snprintf(hint, sizeof hint, "did you mean '%s'?", near);
        else
            snprintf(hint, sizeof hint, "%s",
                     "see sgdscope-scene(5) for the list of keys");
        return scene_fail(e, file, line, scene_col_of(ln, ks), hint,
                          "unknown key '%s'", key);
    }
    if (seen[idx])
        return scene_fail(e, file, line, scene_col_of(ln, ks),
                          "delete one of the two lines",
                          "'%s' set twice (first on line %d)", key, seen[idx]);
    i++;
    while (i < len && is_blank(ln[i]))
        i++;
    if (i < len && ln[i] == '"') {
        /* Quoted: '#' inside is text; \" and \\ are the only escapes. */
        size_t q = i++;
        vcol = scene_col_of(ln, i);
        while (i < len && ln[i] != '"') {
            if (ln[i] == '\\' && i + 1 < len &&
                (ln[i + 1] == '"' || ln[i + 1] == '\\'))
                i++;
            val[vn++] = ln[i++];
        }
        if (i == len)
            return scene_fail(e, file, line, scene_col_of(ln, q),
                              "close it with '\"'", "unterminated string");
        i++;
        while (i < len && is_blank(ln[i]))
            i++;
        if (i < len && ln[i] != '#')
            return scene_fail(e, file, line, scene_col_of(ln, i),
                              "put a '#' before a comment",
                              "unexpected text after the closing quote");
    } else {
        size_t vs = i, ve = i;
        while (ve < len && ln[ve] != '#')
            ve++;
        while (ve > vs && is_blank(ln[ve - 1]))
            ve--;
        vcol = scene_col_of(ln, vs);
        if (ve == vs) {
            snprintf(hint, sizeof hint, "write '%s = VALUE'", key);
            return scene_fail(e, file, line, vcol, hint,
                              "missing value for '%s'", key);
        }
        vn = ve - vs;
        memcpy(val, ln + vs, vn);
    }
    val[vn] = '\0';

    scene_pos p = {file, line, vcol};
    if (scene_value_parse(s, &scene_fields[idx], val, &p, e))
        return -1;
    seen[idx] = line;
    s->set_line[idx] = line;
    s->set_col[idx] = vcol;
    snprintf(s->set_file[idx], sizeof s->set_file[idx], "%s", file);
    *kv = 1;
    return 0;
}

int scene_parse_text(scene *s, const char *text, size_t len,
                     scene_parse *sp, scene_err *e)
{
    scene *tmp = malloc(sizeof *tmp);
    int seen[F_COUNT] = {0};
    const char *p = text, *end = text + len;
    const char *file = sp->file;
    int line = sp->first_line, rc = 0;

    if (!tmp)
        return scene_fail(e, file, 0, 0, NULL, "out of memory");
    *tmp = *s;
    sp->nkv = 0;
    sp->stop = len;
    sp->stop_line = 0;
    if (sp->events && !sp->keep_tl) {
        tmp->tl.n = 0;
        tmp->tl_base = 0;
        snprintf(tmp->set_file[F_EVENTS], sizeof tmp->set_file[F_EVENTS],
                 "%s", file);
    }
    if (sp->first_line == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark some editors write */
    for (; p < end && rc == 0; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        const char *next = nl ? nl + 1 : end;
        int ctl, kv = 0;
        if (n > 0 && p[n - 1] == '\r')
            n--; /* CRLF */
        if (n > LINE_MAX_LEN) {
            rc = scene_fail(e, file, line, LINE_MAX_LEN + 1, NULL,
                            "line is longer than %d bytes", LINE_MAX_LEN);
            break;
        }
        size_t bad = line_bad_byte((const unsigned char *)p, n, &ctl);
        if (bad < n) {
            unsigned b = (unsigned char)p[bad];
            if (b == 0)
                rc = scene_fail(e, file, line, scene_col_of(p, bad), NULL,
                                "NUL byte in the text");
            else if (ctl)
                rc = scene_fail(e, file, line, scene_col_of(p, bad), NULL,
                                "control character 0x%02X in the text", b);
            else
                rc = scene_fail(e, file, line, scene_col_of(p, bad),
                                "scenes are UTF-8 text",
                                "invalid UTF-8 byte 0x%02X", b);
            break;
        }
        rc = parse_line(tmp, p, n, file, line, seen, sp->events,
                        sp->stop_at_run, &kv, e);
        if (rc == 1) {
            sp->stop = (size_t)(p - text);
            sp->stop_line = line;
            break;
        }
        sp->nkv += kv;
        p = next;
    }
    if (rc >= 0)
        *s = *tmp;
    free(tmp);
    return rc;
}

/* Parses len bytes of text into s, all or nothing.  *nkv counts the
 * key = value lines found.  With events (a file, not --set) the text's
 * timeline replaces the scene's: a timeline is a document, and merging
 * two would interleave lessons. */
static int parse_text(scene *s, const char *text, size_t len,
                      const char *file, int events, int *nkv, scene_err *e)
{
    scene_parse sp = {.file = file, .first_line = 1, .events = events};
    int rc = scene_parse_text(s, text, len, &sp, e);
    *nkv = sp.nkv;
    return rc;
}

/* A whole file's text: a plain scene, or a comparison (comparison.h),
 * whose first run it returns as if that run were alone. */
static int load_text(scene *s, const char *text, size_t len,
                     const char *file, scene_err *e)
{
    comparison *c = malloc(sizeof *c);
    if (!c)
        return scene_fail(e, file, 0, 0, NULL, "out of memory");
    int rc = comparison_parse(c, s, text, len, file, e);
    if (rc == 0)
        *s = c->run[0];
    free(c);
    return rc;
}

int scene_load_string(scene *s, const char *text, const char *fname,
                      scene_err *e)
{
    return load_text(s, text, strlen(text), fname ? fname : "<string>", e);
}

int scene_read_file(const char *path, char **text, size_t *len,
                    scene_err *e)
{
    char why[160];
    regfile_status st = regfile_read(path, FILE_MAX_LEN, text, len, why,
                                     sizeof why);
    if (st == REGFILE_OK)
        return 0;
    return scene_fail(e, path, 0, 0,
                      st == REGFILE_NOT_REGULAR ? "a scene is a text file"
                      : st == REGFILE_TOO_BIG  ? "scenes are small text files"
                                               : NULL,
                      "%s", why);
}

void scene_name_from_path(scene *s, const char *path)
{
    snprintf(s->path, sizeof s->path, "%s", path);
    const char *base = strrchr(path, '/');
    base = base && base[1] ? base + 1 : path;
    size_t bl = strlen(base);
    if (bl > 6 && strcmp(base + bl - 6, ".scene") == 0)
        bl -= 6;
    snprintf(s->name, sizeof s->name, "%.*s", (int)bl, base);
}

int scene_load_file(scene *s, const char *path, scene_err *e)
{
    char *buf;
    size_t n;
    if (scene_read_file(path, &buf, &n, e))
        return -1;
    int rc = load_text(s, buf, n, path, e);
    free(buf);
    if (rc)
        return rc;
    scene_name_from_path(s, path);
    return 0;
}

int scene_set(scene *s, const char *kv, scene_err *e)
{
    const char *nl = strchr(kv, '\n');
    int nkv;
    if (nl)
        return scene_fail(e, "--set", 1, scene_col_of(kv, (size_t)(nl - kv)),
                          "give one --set per key",
                          "newline in a --set value");
    if (parse_text(s, kv, strlen(kv), "--set", 0, &nkv, e))
        return -1;
    if (nkv == 0)
        return scene_fail(e, "--set", 1, 1, "e.g. --set eta=0.5",
                          "expected key=value");
    return 0;
}

/* ---- finalize: defaults by model, then cross-field checks ------------ */

/* Points e at where field i was set, or at the scene itself (line 0) when
 * it holds a default. */
static void blame(const scene *s, int i, scene_err *e)
{
    const char *file = s->path[0] ? s->path : s->name;
    e->line = s->set_line[i];
    e->col = s->set_line[i] ? s->set_col[i] : 0;
    if (s->set_line[i]) {
        /* set_file is short; a long path shows in full from s->path. */
        size_t n = strlen(s->set_file[i]);
        file = s->set_file[i];
        if (n == sizeof s->set_file[i] - 1 && strncmp(s->path, file, n) == 0)
            file = s->path;
    }
    sanitize_text(e->file, sizeof e->file, file);
}

void scene_blame(const scene *s, int i, scene_err *e)
{
    blame(s, i, e);
}

/* Points e at timeline event ev: its line in the file the timeline was
 * read from (the full path when set_file had to cut it). */
static int event_fail(const scene *s, const tl_event *ev, int col,
                      scene_err *e, const char *hint, const char *msg)
{
    const char *file = s->set_file[F_EVENTS];
    size_t n = strlen(file);
    if (!ev->line)
        file = "--script";
    else if (!n)
        file = s->path[0] ? s->path : s->name;
    else if (n == sizeof s->set_file[F_EVENTS] - 1 &&
             strncmp(s->path, file, n) == 0)
        file = s->path;
    sanitize_text(e->file, sizeof e->file, file);
    e->line = ev->line;
    e->col = ev->line ? col : 0;
    sanitize_text(e->msg, sizeof e->msg, msg);
    sanitize_text(e->hint, sizeof e->hint, hint);
    return -1;
}

/* Of two fields that conflict, the one set last: --set overrides files,
 * and within a file the later line. */
static int later(const scene *s, int i, int j)
{
    if (!s->set_line[j])
        return i;
    if (!s->set_line[i])
        return j;
    int si = strcmp(s->set_file[i], "--set") == 0;
    int sj = strcmp(s->set_file[j], "--set") == 0;
    if (si != sj)
        return si ? i : j;
    return s->set_line[j] >= s->set_line[i] ? j : i;
}

int scene_later(const scene *s, int i, int j)
{
    return later(s, i, j);
}

/* blame() plus the message: returns −1. */
static int cross_fail(const scene *s, int i, scene_err *e, const char *hint,
                      const char *msg)
{
    blame(s, i, e);
    sanitize_text(e->msg, sizeof e->msg, msg);
    sanitize_text(e->hint, sizeof e->hint, hint);
    return -1;
}

/* Size of the training set, for the default epoch of expwarmup. */
static uint64_t train_size(const scene *s)
{
    if (strcmp(s->model, "relu1d") == 0 && s->mp.data)
        return s->mp.data->n;
    if (strcmp(s->model, "relu1d") == 0)
        return s->mp.npoints > 0 ? (uint64_t)s->mp.npoints : 12;
    return s->mp.n > 0 ? (uint64_t)s->mp.n : 1;
}

/* Resolves the timeline's steps.  A comparison's run (tl_base > 0) holds
 * the shared lines' events, then its block's: each part must be in step
 * order by itself, and the two are merged by step (the shared line first
 * at a tie: it comes first in the file).  Returns 0, or −1 with the index
 * of an event out of order in *bad (the one before it is bad − 1). */
static int resolve_events(scene *s, size_t *bad, char *msg, size_t cap)
{
    size_t nb = s->tl_base;
    if (nb == 0 || nb >= s->tl.n) {
        s->tl_base = 0;
        return timeline_resolve(&s->tl, s->steps, bad, msg, cap);
    }
    static timeline a, b; /* 26 KB each: off the stack */
    a.n = nb;
    memcpy(a.ev, s->tl.ev, nb * sizeof a.ev[0]);
    b.n = s->tl.n - nb;
    memcpy(b.ev, s->tl.ev + nb, b.n * sizeof b.ev[0]);
    if (timeline_resolve(&a, s->steps, bad, msg, cap)) {
        /* the caller reads the resolved steps of the two events */
        memcpy(s->tl.ev, a.ev, nb * sizeof a.ev[0]);
        return -1;
    }
    if (timeline_resolve(&b, s->steps, bad, msg, cap)) {
        *bad += nb;
        /* the caller names the event before it: keep the two in place */
        memcpy(s->tl.ev + nb, b.ev, b.n * sizeof b.ev[0]);
        return -1;
    }
    size_t i = 0, j = 0, k = 0;
    while (i < a.n || j < b.n)
        s->tl.ev[k++] = j == b.n || (i < a.n && a.ev[i].step <= b.ev[j].step)
                            ? a.ev[i++] : b.ev[j++];
    s->tl_base = 0;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Refuses a scene whose η leaves [SCHED_ETA_MIN, SCHED_ETA_MAX]
 * (schedule.h): the schedule, with the timeline's eta, scale and decay
 * events applied at their steps, is evaluated wherever η can change —
 * at the events, on both sides of every scheduled decay and of the
 * warmup's end, at the start, the end and far past it (an exponential
 * warmup climbs to its cap) — since between those points it is
 * monotone.  What a scene does to η is known before it runs, so it is an
 * error there rather than a clamp during the run.  Keys a timeline
 * presses (+, d, ...) are left to the run, which clamps them and says
 * so. */
static int check_eta_range(const scene *s, scene_err *e)
{
    char msg[256], hint[96];
    snprintf(hint, sizeof hint, "a step size stays within %.2g..%.2g "
             "(sgdscope-scene(5), eta)", SCHED_ETA_MIN, SCHED_ETA_MAX);
    if (!(s->sched.eta0 >= SCHED_ETA_MIN && s->sched.eta0 <= SCHED_ETA_MAX)) {
        snprintf(msg, sizeof msg, "eta (%g) is below the smallest step size "
                 "(%.2g)", s->sched.eta0, SCHED_ETA_MIN);
        return cross_fail(s, F_ETA, e, hint, msg);
    }
    schedule *sc = malloc(sizeof *sc);
    if (!sc)
        return 0; /* the run will say it is out of memory */
    if (schedule_init(sc, &s->sched, msg, sizeof msg) != 0) {
        free(sc);
        return 0; /* the run reports it */
    }
    uint64_t pts[2 * TL_MAX_EVENTS + 4 * SCHED_MAX_DECAYS + 8];
    size_t np = 0;
    pts[np++] = 0;
    pts[np++] = s->steps;
    pts[np++] = UINT64_MAX;
    for (size_t k = 0; k < s->tl.n; k++)
        pts[np++] = s->tl.ev[k].step;
    for (size_t k = 0; k < s->sched.ndecays; k++) {
        pts[np++] = sc->decay_step[k];
        pts[np++] = sc->decay_step[k] - (sc->decay_step[k] > 0);
    }
    if (s->sched.has_warmup) {
        pts[np++] = sc->warm_end;
        pts[np++] = sc->warm_end - (sc->warm_end > 0);
    }
    qsort(pts, np, sizeof pts[0], cmp_u64);
    const tl_event *last = NULL; /* the last η event applied */
    size_t next = 0;
    int rc = 0;
    for (size_t i = 0; i < np && rc == 0; i++) {
        uint64_t t = pts[i];
        for (; next < s->tl.n && s->tl.ev[next].step <= t && rc == 0; next++) {
            const tl_event *ev = &s->tl.ev[next];
            int held;
            if (ev->kind == TL_ETA)
                held = schedule_set_eta(sc, ev->step, ev->value);
            else if (ev->kind == TL_SCALE)
                held = schedule_scale_eta(sc, ev->step, ev->value);
            else if (ev->kind == TL_DECAY)
                held = schedule_decay_now(sc, ev->step);
            else
                continue;
            last = ev;
            if (held) {
                double b = schedule_eta(sc, ev->step);
                const char *dir = b >= SCHED_ETA_MAX ? "above the largest"
                                                     : "below the smallest";
                if (ev->kind == TL_ETA)
                    snprintf(msg, sizeof msg, "eta %g is %s step size "
                             "(%.2g)", ev->value, dir, b);
                else if (ev->kind == TL_SCALE)
                    snprintf(msg, sizeof msg, "scale %g takes eta %s step "
                             "size (%.2g)", ev->value, dir, b);
                else
                    snprintf(msg, sizeof msg, "this decay takes eta %s step "
                             "size (%.2g)", dir, b);
                rc = event_fail(s, ev, ev->arg_col, e, hint, msg);
            }
        }
        double eta = schedule_base(sc, t) * sc->scale;
        if (rc || (eta >= SCHED_ETA_MIN && eta <= SCHED_ETA_MAX))
            continue;
        const char *dir = eta > SCHED_ETA_MAX ? "above the largest"
                                              : "below the smallest";
        double bound = eta > SCHED_ETA_MAX ? SCHED_ETA_MAX : SCHED_ETA_MIN;
        if (t == UINT64_MAX)
            snprintf(msg, sizeof msg, "the schedule takes eta %s step size "
                     "(%.2g) in the end", dir, bound);
        else
            snprintf(msg, sizeof msg, "the schedule takes eta %s step size "
                     "(%.2g) at step %llu", dir, bound,
                     (unsigned long long)t);
        if (last) {
            rc = event_fail(s, last, last->arg_col, e, hint, msg);
        } else {
            int f = s->sched.ndecays ? F_DECAYS
                    : s->sched.has_warmup ? F_WARMUP
                    : s->sched.has_exp ? F_EXPWARMUP : F_ETA;
            rc = cross_fail(s, later(s, F_ETA, f), e, hint, msg);
        }
    }
    free(sc);
    return rc;
}

/* The loss surface's checks: a plane the model has, a range, and a cost
 * (surface.h SURFACE_WORK_MAX) said in numbers. */
static int check_surface(scene *s, scene_err *e)
{
    char msg[256];
    const model_params *mp = &s->mp;
    if (s->surface == SURF_NONE)
        return 0;
    if (surface_refusal(s->surface, s->model, mp->d, mp->init_u, mp->init_v,
                        !s->data[0], msg, sizeof msg))
        return cross_fail(s, F_SURFACE, e, "surface = none turns it off",
                          msg);
    if (!(s->surface_lo < s->surface_hi)) {
        snprintf(msg, sizeof msg, "surface_lo (%g) must be less than "
                 "surface_hi (%g)", s->surface_lo, s->surface_hi);
        return cross_fail(s, later(s, F_SURFACE_LO, F_SURFACE_HI), e,
                          "the notebook's range is -0.5 to 2.3", msg);
    }
    double np = (double)train_size(s) * (double)(2 * mp->d);
    double grid = (double)s->surface_grid * s->surface_grid * np;
    double gf = s->surface == SURF_FIG3 ? 4.0 * (double)s->steps * np : 0;
    if (grid > SURFACE_WORK_MAX || gf > SURFACE_WORK_MAX) {
        int g = grid > SURFACE_WORK_MAX;
        snprintf(msg, sizeof msg, "the surface's %s would take about %.0f s "
                 "(%.2g multiply-adds, at most %.0e)",
                 g ? "grid" : "gradient-flow reference run",
                 (g ? grid : gf) / 2e9, g ? grid : gf, SURFACE_WORK_MAX);
        return cross_fail(s, later(s, F_SURFACE, g ? F_SURFACE_GRID : F_STEPS), e,
                          g ? "a smaller surface_grid" : "fewer steps or n",
                          msg);
    }
    return 0;
}

/* The teacher-student models' sizes: the picture needs d >= 2, and the
 * parameter count is capped (teacher.h, TEACHER_P_MAX) because the NTK
 * spectrum factors an n_probe x p matrix ten times a second. */
static int ts_check(const scene *s, scene_err *e)
{
    char msg[256], hint[128];
    int ts2 = strcmp(s->model, "ts2") == 0, ts3 = strcmp(s->model, "ts3") == 0;
    if (!ts2 && !ts3)
        return 0;
    const model_params *mp = &s->mp;
    if (mp->d < 2) {
        snprintf(msg, sizeof msg, "%s needs d >= 2 (got %d): its neurons are "
                 "directions in the input space", s->model, mp->d);
        return cross_fail(s, F_D, e, "the paper uses d = 2 (ts2), 5 (ts3)",
                          msg);
    }
    if (mp->n < 1)
        return cross_fail(s, F_N, e, ts2 ? "the paper uses n = 15"
                                         : "the paper uses n = 50",
                          "a teacher-student model needs n >= 1 training "
                          "points");
    if (ts3 && mp->m > TEACHER_WIDTH_MAX) {
        snprintf(msg, sizeof msg, "ts3's hidden layers are at most %d wide "
                 "(m = %d)", TEACHER_WIDTH_MAX, mp->m);
        return cross_fail(s, F_M, e, "the paper uses m = 10", msg);
    }
    uint64_t d = (uint64_t)mp->d, m = (uint64_t)mp->m;
    uint64_t p = ts2 ? m * (d + 1) : m * d + m + m * m + 2 * m + 1;
    if (p > TEACHER_P_MAX) {
        snprintf(msg, sizeof msg, "%s with d = %d, m = %d has %llu "
                 "parameters, above %d: the NTK spectrum would take seconds "
                 "a frame", s->model, mp->d, mp->m, (unsigned long long)p,
                 TEACHER_P_MAX);
        if (ts2)
            snprintf(hint, sizeof hint, "at d = %d, m <= %d", mp->d,
                     (int)(TEACHER_P_MAX / (d + 1)));
        else
            snprintf(hint, sizeof hint, "lower m or d");
        return cross_fail(s, later(s, F_M, F_D), e, hint, msg);
    }
    uint64_t big = (uint64_t)(mp->n > mp->n_test ? mp->n : mp->n_test) * d;
    if (big > MODEL_DATA_MAX) {
        int f = mp->n > mp->n_test ? F_N : F_N_TEST;
        snprintf(msg, sizeof msg, "%s*d = %llu is above %d: a loss "
                 "evaluation reads all of it", f == F_N ? "n" : "n_test",
                 (unsigned long long)big, MODEL_DATA_MAX);
        return cross_fail(s, later(s, f, F_D), e, NULL, msg);
    }
    return 0;
}

int scene_finalize(scene *s, scene_err *e)
{
    char msg[256];
    if (!model_find(s->model)) {
        snprintf(msg, sizeof msg, "unknown model '%s'", s->model);
        return cross_fail(s, F_MODEL, e, NULL, msg);
    }
    /* Unset fields are recomputed from scratch, so finalizing again after
     * a --set model=... gives the new model's defaults. */
    for (int i = 0; i < F_COUNT; i++)
        if (!s->set_line[i]) {
            const char *md = scene_field_model_default((size_t)i, s->model);
            apply_text(s, i, md ? md : scene_fields[i].def);
        }
    s->dyn.kind = s->dynamics;
    s->sched.total_steps = s->steps;

    /* numpy's seed() takes 32-bit integers only */
    if (s->rng == RNG_NUMPY && (s->seed > 0xffffffffu ||
                                s->data_seed > 0xffffffffu)) {
        int f = s->seed > 0xffffffffu ? F_SEED : F_DATA_SEED;
        snprintf(msg, sizeof msg, "%s %llu is too large for rng = numpy",
                 f == F_SEED ? "seed" : "data_seed",
                 (unsigned long long)(f == F_SEED ? s->seed : s->data_seed));
        return cross_fail(s, later(s, f, F_RNG), e,
                          "numpy's seed() takes 0 .. 4294967295", msg);
    }

    if (scene_data_finalize(s, e))
        return -1;
    const model_params *mp = &s->mp;
    if (strcmp(s->model, "quad1d") == 0 && !(mp->a < mp->b)) {
        snprintf(msg, sizeof msg, "a (%g) must be less than b (%g)", mp->a,
                 mp->b);
        return cross_fail(s, later(s, F_A, F_B), e, "x is drawn from [a, b]",
                          msg);
    }
    if (strcmp(s->model, "diagnet") == 0 && mp->r > mp->d) {
        snprintf(msg, sizeof msg, "r (%d) must be at most d (%d)", mp->r,
                 mp->d);
        return cross_fail(s, later(s, F_R, F_D), e,
                          "r counts the non-zero entries of beta*, out of d",
                          msg);
    }
    if (strcmp(s->model, "diagnet") == 0 &&
        ((uint64_t)mp->n * (uint64_t)mp->d > MODEL_DATA_MAX ||
         (uint64_t)mp->n_test * (uint64_t)mp->d > MODEL_DATA_MAX)) {
        int big = (uint64_t)mp->n * (uint64_t)mp->d > MODEL_DATA_MAX;
        int f = big ? F_N : F_N_TEST;
        snprintf(msg, sizeof msg,
                 "%s*d = %llu is above %d: a loss evaluation reads all of "
                 "it, and the app evaluates dozens a frame",
                 big ? "n" : "n_test",
                 (unsigned long long)(big ? mp->n : mp->n_test) *
                     (unsigned long long)mp->d,
                 MODEL_DATA_MAX);
        char hint[64];
        snprintf(hint, sizeof hint, "at d = %d, %s <= %d", mp->d,
                 big ? "n" : "n_test", MODEL_DATA_MAX / mp->d);
        return cross_fail(s, later(s, f, F_D), e, hint, msg);
    }
    if (strcmp(s->model, "diagnet") == 0 && mp->n < 1)
        return cross_fail(s, F_N, e, "the paper uses n = 80",
                          "diagnet needs n >= 1 training points");
    if (ts_check(s, e))
        return -1;
    if ((s->dynamics == DYN_LABELNOISE || s->dynamics == DYN_SDE) &&
        mp->n == 0 && model_online_when_n0(s->model)) {
        snprintf(msg, sizeof msg,
                 "%s needs a finite training set, but %s with n = 0 draws a "
                 "fresh sample every step", dyn_name(s->dynamics), s->model);
        return cross_fail(s, F_DYNAMICS, e,
                          "set n = 20 (a fixed training set) or use sgd", msg);
    }
    if (!(s->band_lo < s->band_hi)) {
        snprintf(msg, sizeof msg, "band_lo (%g) must be less than band_hi (%g)",
                 s->band_lo, s->band_hi);
        return cross_fail(s, later(s, F_BAND_LO, F_BAND_HI), e, NULL, msg);
    }
    for (size_t k = 0; k < s->sched.ndecays; k++) {
        const decay_pt *d = &s->sched.decays[k];
        if (!d->is_frac && d->at > (double)s->steps) {
            snprintf(msg, sizeof msg,
                     "decay at step %.0f is past the end of the run "
                     "(steps = %llu)", d->at, (unsigned long long)s->steps);
            return cross_fail(s, later(s, F_DECAYS, F_STEPS), e,
                              "use a fraction such as 50% to follow steps",
                              msg);
        }
    }
    if (s->sched.has_warmup && s->sched.warm_f * (double)s->steps < 1.0) {
        snprintf(msg, sizeof msg,
                 "a warmup over %g of %llu steps is shorter than one step",
                 s->sched.warm_f, (unsigned long long)s->steps);
        return cross_fail(s, later(s, F_WARMUP, F_STEPS), e, NULL, msg);
    }
    if (s->sched.has_warmup && s->sched.has_exp)
        return cross_fail(s, later(s, F_WARMUP, F_EXPWARMUP), e,
                          "set one of them to none",
                          "warmup and expwarmup cannot both be on");
    if (s->sched.has_exp && s->sched.exp_epoch == 0)
        s->sched.exp_epoch = train_size(s);
    if (check_surface(s, e))
        return -1;
    /* Events past `steps` are fine: the interactive run goes on. */
    size_t bad;
    if (resolve_events(s, &bad, msg, sizeof msg)) {
        char hint[128];
        const tl_event *ev = &s->tl.ev[bad];
        const tl_event *prev = &s->tl.ev[bad - 1];
        if (ev->is_frac && !prev->is_frac && prev->step > s->steps)
            snprintf(hint, sizeof hint,
                     "keep the scene's steps (and look earlier with --at), "
                     "or give steps >= %llu",
                     (unsigned long long)prev->step);
        else
            snprintf(hint, sizeof hint,
                     "events of the same step fire in file order; move "
                     "this line above line %d", prev->line);
        return event_fail(s, ev, ev->col, e, hint, msg);
    }
    return check_eta_range(s, e);
}

int scene_check_keys(const scene *s, int (*is_key)(int c), scene_err *e)
{
    char msg[96];
    for (size_t i = 0; i < s->tl.n; i++) {
        const tl_event *ev = &s->tl.ev[i];
        /* Only a key's value is a character: eta 1e55 is no int. */
        if (ev->kind != TL_KEY)
            continue;
        int k = (int)ev->value;
        if (is_key(k))
            continue;
        if (k == ' ')
            snprintf(msg, sizeof msg, "unknown key 'space' (see sgdscope(1) "
                     "KEYS)");
        else
            snprintf(msg, sizeof msg, "key '%c' is unknown or not for scenes "
                     "(see sgdscope(1) KEYS)", k);
        return event_fail(s, ev, ev->arg_col, e, NULL, msg);
    }
    return 0;
}

void scene_err_print(const scene_err *e, FILE *f)
{
    /* Sanitized when filled, and again here for one filled by hand: the
     * file name and the quoted values are the scene author's text. */
    sanitize_fputs(e->file, f);
    if (e->line > 0)
        fprintf(f, ":%d", e->line);
    if (e->line > 0 && e->col > 0)
        fprintf(f, ":%d", e->col);
    fputs(": error: ", f);
    sanitize_fputs(e->msg, f);
    fputc('\n', f);
    if (e->hint[0]) {
        fputs("  hint: ", f);
        sanitize_fputs(e->hint, f);
        fputc('\n', f);
    }
}
