/* comparison.c — `run NAME` blocks over a shared base; see comparison.h.
 * The lines themselves are read by scene.c's parser (scene_parse_text),
 * so a run block accepts exactly what a scene file does, with the same
 * errors; this file adds the headers, the cross-run checks and the split
 * of the timeline between the runs and the session. */
#include "comparison.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "scene_value.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int comparison_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n >= COMPARISON_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!name_char(name[i]))
            return 0;
    return 1;
}

int comparison_find(const comparison *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return (int)i;
    return -1;
}

/* Run names for scene_nearest, which takes no context: the comparison
 * being checked (single-threaded, set just before the call). */
static const comparison *names_of;

static const char *name_at(size_t i)
{
    return names_of && i < names_of->n ? names_of->name[i] : NULL;
}

/* "did you mean 'x'?" or "the runs are: a, b, c" for an unknown name. */
static void run_hint(const comparison *c, const char *name, char *h,
                     size_t cap)
{
    names_of = c;
    const char *near = scene_nearest(name, name_at);
    names_of = NULL;
    if (near) {
        snprintf(h, cap, "did you mean '%s'?", near);
        return;
    }
    size_t k = (size_t)snprintf(h, cap, "the runs are:");
    for (size_t i = 0; i < c->n && k < cap; i++)
        k += (size_t)snprintf(h + k, cap - k, "%s %s", i ? "," : "",
                              c->name[i]);
}

void comparison_init(comparison *c)
{
    scene_init(&c->base);
    c->n = 1;
    c->blocks = 0;
    c->finalized = 0;
    snprintf(c->file, sizeof c->file, "%s", c->base.name);
    snprintf(c->name[0], sizeof c->name[0], "%s", COMPARISON_MAIN);
    c->line[0] = c->col[0] = 0;
    c->run[0] = c->base;
    c->tl.n = 0;
}

/* The `run NAME` line ln (len bytes, validated text) at line `line`:
 * adds run c->n.  Returns 0 or −1 with e. */
static int parse_header(comparison *c, const char *ln, size_t len,
                        const char *file, int line, scene_err *e)
{
    size_t i = 0;
    while (i < len && is_blank(ln[i]))
        i++;
    size_t kw = i;
    i += 3; /* "run", checked by the parser */
    while (i < len && is_blank(ln[i]))
        i++;
    size_t ns = i;
    while (i < len && name_char(ln[i]))
        i++;
    size_t nl = i - ns;
    if (nl == 0 && (i == len || ln[i] == '#'))
        return scene_fail(e, file, line, scene_col_of(ln, i),
                          "write 'run NAME' (letters, digits, '_' and '-')",
                          "expected a run name after 'run'");
    if (i < len && !is_blank(ln[i]) && ln[i] != '#') {
        if (ln[i] == ':' && nl > 0)
            return scene_fail(e, file, line, scene_col_of(ln, i),
                              "write 'run NAME' without the ':'",
                              "unexpected ':' after the run name");
        return scene_fail(e, file, line, scene_col_of(ln, i),
                          "a run name is letters, digits, '_' and '-'",
                          "unexpected character in the run name");
    }
    if (nl >= COMPARISON_NAME_MAX)
        return scene_fail(e, file, line, scene_col_of(ln, ns),
                          "shorten it to 24 characters",
                          "run name is longer than %d characters",
                          COMPARISON_NAME_MAX - 1);
    size_t j = i;
    while (j < len && is_blank(ln[j]))
        j++;
    if (j < len && ln[j] != '#')
        return scene_fail(e, file, line, scene_col_of(ln, j),
                          "a 'run' line holds only the name (and a comment)",
                          "unexpected text after the run name");
    char name[COMPARISON_NAME_MAX];
    snprintf(name, sizeof name, "%.*s", (int)nl, ln + ns);
    int dup = comparison_find(c, name);
    if (dup >= 0) {
        char hint[64];
        snprintf(hint, sizeof hint, "give each run its own name");
        return scene_fail(e, file, line, scene_col_of(ln, ns), hint,
                          "run '%s' is named twice (first on line %d)", name,
                          c->line[dup]);
    }
    if (c->n == COMPARISON_MAX_RUNS)
        return scene_fail(e, file, line, scene_col_of(ln, kw),
                          "split the comparison into two scenes",
                          "more than %d runs", COMPARISON_MAX_RUNS);
    size_t k = c->n++;
    memcpy(c->name[k], name, sizeof name);
    c->line[k] = line;
    c->col[k] = scene_col_of(ln, ns);
    return 0;
}

/* Where field `name` of s was set, for a run block starting after line
 * hdr: its line if the block set it, else 0. */
static int block_set(const scene *s, const char *name, int hdr)
{
    int f = scene_field_index(name);
    return f >= 0 && s->set_line[f] > hdr ? s->set_line[f] : 0;
}

static int is_session_kind(tl_kind k)
{
    return k == TL_CAPTION || k == TL_PAUSE || k == TL_END || k == TL_KEY;
}

/* The column of the first non-blank character of line `line` of text,
 * whose first line is number 1. */
static int key_col(const char *text, size_t len, int line)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    size_t j = i;
    while (j < len && is_blank(text[j]))
        j++;
    return scene_col_of(text + i, j - i);
}

/* What a run block may not hold: a title or a run length of its own, or
 * a caption, pause or end (they belong to the whole comparison). */
static int check_block(const comparison *c, size_t k, const char *text,
                       size_t len, const char *file, scene_err *e)
{
    const scene *s = &c->run[k];
    int hdr = c->line[k];
    const char *shared[] = {"title", "steps"};
    for (size_t i = 0; i < 2; i++) {
        int ln = block_set(s, shared[i], hdr);
        if (!ln)
            continue;
        return scene_fail(e, file, ln, key_col(text, len, ln),
                          "set it above the first 'run' line",
                          i == 0 ? "title names the whole comparison, not "
                                   "one run"
                                 : "steps is shared by every run: they "
                                   "advance in lockstep and end together");
    }
    for (size_t i = s->tl_base; i < s->tl.n; i++) {
        const tl_event *ev = &s->tl.ev[i];
        if (ev->kind == TL_KEY || !is_session_kind(ev->kind))
            continue;
        return scene_fail(e, file, ev->line, ev->col,
                          "move it above the first 'run' line",
                          "a %s belongs to the whole comparison, not one "
                          "run", timeline_kind_name(ev->kind));
    }
    return 0;
}

int comparison_parse(comparison *c, const scene *base, const char *text,
                     size_t len, const char *fname, scene_err *e)
{
    scene_parse sp = {.file = fname, .first_line = 1, .events = 1,
                      .stop_at_run = 1};
    c->base = *base;
    snprintf(c->file, sizeof c->file, "%s", fname);
    c->n = 0;
    c->blocks = 0;
    c->finalized = 0;
    c->tl.n = 0;
    int rc = scene_parse_text(&c->base, text, len, &sp, e);
    size_t off = sp.stop;
    int line = sp.stop_line;
    while (rc == 1) {
        const char *ln = text + off;
        const char *nl = memchr(ln, '\n', len - off);
        size_t n = (size_t)((nl ? nl : text + len) - ln);
        size_t next = nl ? off + n + 1 : len;
        if (n > 0 && ln[n - 1] == '\r')
            n--;
        if (parse_header(c, ln, n, fname, line, e))
            return -1;
        size_t k = c->n - 1;
        c->run[k] = c->base;
        c->run[k].tl_base = c->base.tl.n;
        scene_parse bp = {.file = fname, .first_line = line + 1,
                          .events = 1, .keep_tl = 1, .stop_at_run = 1};
        rc = scene_parse_text(&c->run[k], text + next, len - next, &bp, e);
        if (rc < 0 || check_block(c, k, text, len, fname, e))
            return -1;
        off = next + bp.stop;
        line = bp.stop_line;
    }
    if (rc < 0)
        return -1;
    if (c->n == 0) {
        c->n = 1;
        snprintf(c->name[0], sizeof c->name[0], "%s", COMPARISON_MAIN);
        c->line[0] = c->col[0] = 0;
        c->run[0] = c->base;
    } else {
        c->blocks = 1;
    }
    return 0;
}

/* Sets every scene's name and path from the file's. */
static void name_all(comparison *c, const char *path)
{
    scene_name_from_path(&c->base, path);
    for (size_t i = 0; i < c->n; i++)
        scene_name_from_path(&c->run[i], path);
}

int comparison_load_file(comparison *c, const char *path, scene_err *e)
{
    char *text;
    size_t len;
    if (scene_read_file(path, &text, &len, e))
        return -1;
    comparison_init(c);
    int rc = comparison_parse(c, &c->base, text, len, path, e);
    free(text);
    if (rc == 0)
        name_all(c, path);
    return rc;
}

int comparison_load_string(comparison *c, const char *text,
                           const char *fname, scene_err *e)
{
    comparison_init(c);
    return comparison_parse(c, &c->base, text, strlen(text),
                            fname ? fname : "<string>", e);
}

int comparison_set(comparison *c, const char *kv, scene_err *e)
{
    size_t i = 0;
    while (is_blank(kv[i]))
        i++;
    size_t ks = i;
    while (kv[i] && kv[i] != '=' && kv[i] != '.' && !is_blank(kv[i]))
        i++;
    if (kv[i] != '.') {
        /* every run, and the base it came from */
        if (scene_set(&c->base, kv, e))
            return -1;
        for (size_t r = 0; r < c->n; r++)
            if (scene_set(&c->run[r], kv, e))
                return -1;
        return 0;
    }
    char name[64], hint[160];
    size_t nl = i - ks;
    snprintf(name, sizeof name, "%.*s", (int)(nl < 63 ? nl : 63), kv + ks);
    int r = comparison_find(c, name);
    if (r < 0) {
        run_hint(c, name, hint, sizeof hint);
        return scene_fail(e, "--set", 1, scene_col_of(kv, ks), hint,
                          "no run named '%s'", name);
    }
    size_t off = i + 1;
    size_t ke = off;
    while (kv[ke] && kv[ke] != '=' && !is_blank(kv[ke]))
        ke++;
    if ((ke - off == 5 && strncmp(kv + off, "title", 5) == 0) ||
        (ke - off == 5 && strncmp(kv + off, "steps", 5) == 0)) {
        snprintf(hint, sizeof hint, "--set %.5s=... applies to every run",
                 kv + off);
        return scene_fail(e, "--set", 1, scene_col_of(kv, off), hint,
                          "%.5s is shared by every run of a comparison",
                          kv + off);
    }
    int shift = scene_col_of(kv, off) - 1;
    if (scene_set(&c->run[r], kv + off, e)) {
        if (e->col > 0)
            e->col += shift;
        return -1;
    }
    /* later errors about the value point into the whole NAME.KEY=V */
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(ke - off < 63 ? ke - off : 63),
             kv + off);
    int f = scene_field_index(key);
    if (f >= 0)
        c->run[r].set_col[f] += shift;
    return 0;
}

/* Points e at where field `name` of s was set (the file, or --set), or at
 * run k's header when the field holds a default. */
static int field_fail(const comparison *c, size_t k, const char *name,
                      scene_err *e, const char *hint, const char *msg)
{
    const scene *s = &c->run[k];
    int f = scene_field_index(name);
    const char *file = c->file;
    int line = c->line[k], col = c->col[k];
    if (f >= 0 && s->set_line[f]) {
        line = s->set_line[f];
        col = s->set_col[f];
        /* set_file is short: a long path shows in full from c->file */
        if (strncmp(s->set_file[f], c->file, sizeof s->set_file[f] - 1))
            file = s->set_file[f];
    }
    return scene_fail(e, file, line, line ? col : 0, hint, "%s", msg);
}

/* The first model setting in which a and b differ (by name), or NULL:
 * a companion must see the same data and start from the same place. */
static const char *mp_differs(const model_params *a, const model_params *b)
{
    if (a->a != b->a) return "a";
    if (a->b != b->b) return "b";
    if (a->theta_star != b->theta_star) return "theta_star";
    if (a->theta0 != b->theta0) return "theta0";
    if (a->n != b->n) return "n";
    if (a->d != b->d) return "d";
    if (a->r != b->r) return "r";
    if (a->n_test != b->n_test) return "n_test";
    if (a->init_u != b->init_u) return "init_u";
    if (a->init_v != b->init_v) return "init_v";
    if (a->m != b->m) return "m";
    if (a->init_w != b->init_w) return "init_w";
    if (a->init_b != b->init_b) return "init_b";
    if (a->init_a != b->init_a) return "init_a";
    if (a->teacher != b->teacher) return "teacher";
    if (a->npoints != b->npoints) return "points";
    for (int i = 0; i < a->npoints && i < MODEL_MAX_POINTS; i++)
        if (a->px[i] != b->px[i] || a->py[i] != b->py[i])
            return "points";
    /* loaded once per file content (datafile.h): one file, one pointer */
    if (a->data != b->data) return "data";
    if (a->test_data != b->test_data) return "test_data";
    return NULL;
}

/* Run k's sde_companion, checked against the comparison. */
static int check_companion(const comparison *c, size_t k, scene_err *e)
{
    const scene *s = &c->run[k];
    const char *cn = s->sde_companion;
    char msg[256], hint[160];
    int j = comparison_find(c, cn);
    if (j < 0) {
        if (!c->blocks)
            snprintf(hint, sizeof hint, "a scene without 'run' blocks has "
                     "one run, '%s'; add the SGD run as a 'run' block",
                     c->name[0]);
        else
            run_hint(c, cn, hint, sizeof hint);
        snprintf(msg, sizeof msg, "no run named '%.32s' for sde_companion",
                 cn);
        return field_fail(c, k, "sde_companion", e, hint, msg);
    }
    if (s->dynamics != DYN_SDE) {
        snprintf(msg, sizeof msg, "sde_companion is for dynamics = sde, "
                 "but run '%s' runs %s", c->name[k], dyn_name(s->dynamics));
        return field_fail(c, k, "sde_companion", e,
                          "set dynamics = sde in this run", msg);
    }
    if ((size_t)j == k) {
        snprintf(msg, sizeof msg, "run '%s' cannot be its own companion",
                 c->name[k]);
        return field_fail(c, k, "sde_companion", e,
                          "name the SGD run whose loss sets delta", msg);
    }
    const scene *o = &c->run[j];
    const char *why = NULL;
    char what[96];
    if (o->dynamics != DYN_SGD) {
        snprintf(msg, sizeof msg, "the companion '%s' runs %s, not sgd",
                 c->name[j], dyn_name(o->dynamics));
        return field_fail(c, k, "sde_companion", e,
                          "delta follows an SGD run's loss (Appendix C)", msg);
    }
    if (strcmp(o->model, s->model) != 0)
        snprintf(what, sizeof what, "is on %s, this run on %s", o->model,
                 s->model);
    else if (o->seed != s->seed)
        snprintf(what, sizeof what, "has seed %llu, this run seed %llu",
                 (unsigned long long)o->seed, (unsigned long long)s->seed);
    else if ((why = mp_differs(&o->mp, &s->mp)) != NULL)
        snprintf(what, sizeof what, "has another '%s' than this run", why);
    else
        what[0] = 0;
    if (what[0]) {
        snprintf(msg, sizeof msg, "the companion '%s' %s", c->name[j], what);
        return field_fail(c, k, "sde_companion", e,
                          "an SDE and its SGD run share the model, the seed "
                          "and the data", msg);
    }
    if (s->dyn.sde_delta > 0.0)
        return field_fail(c, k, "sde_companion", e,
                          "set sde_delta = 0, or drop sde_companion",
                          "sde_delta fixes delta and sde_companion makes it "
                          "follow a run: set one");
    return 0;
}

/* Whether event ev of a run's finalized timeline came from the base and
 * belongs to the session. */
static int session_event(const comparison *c, const tl_event *ev)
{
    int first = c->blocks ? c->line[0] : INT_MAX;
    return is_session_kind(ev->kind) && ev->line > 0 && ev->line < first;
}

int comparison_finalize(comparison *c, scene_err *e)
{
    for (size_t k = 0; k < c->n; k++)
        if (scene_finalize(&c->run[k], e))
            return -1;
    for (size_t k = 1; k < c->n; k++) {
        if (c->run[k].steps == c->run[0].steps)
            continue;
        char msg[256];
        snprintf(msg, sizeof msg, "run '%s' is %llu steps long and run '%s' "
                 "%llu: the runs advance in lockstep and end together",
                 c->name[k], (unsigned long long)c->run[k].steps, c->name[0],
                 (unsigned long long)c->run[0].steps);
        return scene_fail(e, c->file, c->line[k], c->col[k],
                          "set steps above the first 'run' line", "%s", msg);
    }
    for (size_t k = 0; k < c->n; k++)
        if (c->run[k].sde_companion[0] && check_companion(c, k, e))
            return -1;
    c->tl.n = 0;
    const timeline *t0 = &c->run[0].tl;
    for (size_t i = 0; i < t0->n; i++)
        if (session_event(c, &t0->ev[i]))
            c->tl.ev[c->tl.n++] = t0->ev[i];
    for (size_t k = 0; k < c->n; k++) {
        timeline *t = &c->run[k].tl;
        size_t w = 0;
        for (size_t i = 0; i < t->n; i++)
            if (!session_event(c, &t->ev[i]))
                t->ev[w++] = t->ev[i];
        t->n = w;
    }
    c->finalized = 1;
    return 0;
}

int comparison_check_keys(const comparison *c, int (*is_key)(int k),
                          int (*is_run_key)(int k), scene_err *e)
{
    scene *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return scene_fail(e, c->run[0].name, 0, 0, NULL, "out of memory");
    /* the session's keys, reported like a single scene's */
    *tmp = c->run[0];
    tmp->tl = c->tl;
    int rc = scene_check_keys(tmp, is_key, e);
    free(tmp);
    if (rc)
        return -1;
    for (size_t k = 0; k < c->n; k++) {
        const scene *s = &c->run[k];
        if (scene_check_keys(s, is_key, e))
            return -1;
        for (size_t i = 0; i < s->tl.n; i++) {
            const tl_event *ev = &s->tl.ev[i];
            if (ev->kind != TL_KEY || is_run_key((int)ev->value))
                continue;
            char kn[8];
            snprintf(kn, sizeof kn, ev->value == '\t' ? "tab" : "%c",
                     (int)ev->value);
            return scene_fail(e, c->file, ev->line, ev->arg_col,
                              "move the line above the first 'run' line "
                              "(it acts on the focused run there)",
                              "key '%s' acts on the whole session, not on "
                              "one run", kn);
        }
    }
    return 0;
}

int comparison_add_script(comparison *c, const char *script,
                          int (*is_key)(int k), char *err, size_t errlen)
{
    if (timeline_parse_script(&c->tl, script, is_key, err, errlen))
        return -1;
    for (size_t k = 0; k < c->n; k++)
        if (c->tl.n + c->run[k].tl.n > TL_MAX_EVENTS) {
            snprintf(err, errlen, "too many events with the scene's own "
                     "(at most %d)", TL_MAX_EVENTS);
            /* leave the timeline as it was, as timeline_parse_script
             * does on error; the script's events were inserted in step
             * order, so drop exactly those (line 0, from the script) */
            size_t w = 0;
            for (size_t i = 0; i < c->tl.n; i++)
                if (c->tl.ev[i].line != 0)
                    c->tl.ev[w++] = c->tl.ev[i];
            c->tl.n = w;
            return -1;
        }
    return 0;
}

/* The firing order of two events of one step: file lines in order, then
 * --script's (line 0) in script order. */
static long order_key(const tl_event *ev)
{
    return ev->line > 0 ? ev->line : LONG_MAX;
}

void comparison_run_scene(const comparison *c, size_t i, scene *out)
{
    *out = c->run[i];
    static timeline merged; /* 26 KB: off the stack */
    const timeline *a = &c->run[i].tl, *b = &c->tl;
    size_t x = 0, y = 0;
    merged.n = 0;
    while ((x < a->n || y < b->n) && merged.n < TL_MAX_EVENTS) {
        int take_a = y == b->n ||
                     (x < a->n &&
                      (a->ev[x].step < b->ev[y].step ||
                       (a->ev[x].step == b->ev[y].step &&
                        order_key(&a->ev[x]) <= order_key(&b->ev[y]))));
        merged.ev[merged.n++] = take_a ? a->ev[x++] : b->ev[y++];
    }
    out->tl = merged;
}

void comparison_of_scene(comparison *c, const scene *sc)
{
    c->base = *sc;
    snprintf(c->file, sizeof c->file, "%s", sc->path[0] ? sc->path
                                                         : sc->name);
    c->n = 1;
    c->blocks = 0;
    snprintf(c->name[0], sizeof c->name[0], "%s", COMPARISON_MAIN);
    c->line[0] = c->col[0] = 0;
    c->run[0] = *sc;
    c->tl.n = 0;
    timeline *t = &c->run[0].tl;
    size_t w = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (is_session_kind(t->ev[i].kind))
            c->tl.ev[c->tl.n++] = t->ev[i];
        else
            t->ev[w++] = t->ev[i];
    }
    t->n = w;
    c->finalized = 1;
}
