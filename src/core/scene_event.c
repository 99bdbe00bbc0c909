/* scene_event.c — the timeline lines of the scene format:
 *
 *   at STEP: KIND ARGS      # a comment
 *
 * parsed into s->tl (see timeline.h).  A line is read as tokens separated
 * by blanks; every error points at the token that is wrong, or at where
 * the missing one should be.  Step order is checked later, by
 * scene_finalize, once `steps` is known and fractions have steps. */
#include "scene_value.h"

#include <stdio.h>
#include <string.h>

#define TOK_MAX 64 /* longer tokens are never valid numbers or names */

/* Where the parser is on the line, and what every error needs. */
typedef struct cursor {
    const char *ln;
    size_t len, i;
    const char *file;
    int line;
} cursor;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void skip_blanks(cursor *c)
{
    while (c->i < c->len && is_blank(c->ln[c->i]))
        c->i++;
}

static int col(const cursor *c, size_t k)
{
    return scene_col_of(c->ln, k);
}

/* Whether only blanks or a comment remain. */
static int at_end(cursor *c)
{
    skip_blanks(c);
    return c->i == c->len || c->ln[c->i] == '#';
}

/* The next token: a run of characters up to a blank, a '#' (a comment) or
 * any of stop.  Copies it (truncated) into buf and returns its length in
 * the line, 0 if there is none; *start is its byte offset. */
static size_t next_tok(cursor *c, const char *stop, char *buf,
                       size_t *start)
{
    skip_blanks(c);
    *start = c->i;
    while (c->i < c->len && !is_blank(c->ln[c->i]) && c->ln[c->i] != '#' &&
           !strchr(stop, c->ln[c->i]))
        c->i++;
    size_t n = c->i - *start;
    size_t k = n < TOK_MAX - 1 ? n : TOK_MAX - 1;
    memcpy(buf, c->ln + *start, k);
    buf[k] = '\0';
    return n;
}

static const char *kind_name_at(size_t i)
{
    return timeline_kind_name((tl_kind)i);
}

static const char *dyn_name_at(size_t i)
{
    return i < DYN_COUNT ? dyn_name((dyn_kind)i) : NULL;
}

/* Argument of eta, scale and batch: a number token, range-checked.  The
 * message names the kind, as field errors do ("eta must be ..."). */
static int parse_number(cursor *c, tl_event *ev, scene_err *e)
{
    char tok[TOK_MAX], hint[96];
    size_t st;
    const char *name = timeline_kind_name(ev->kind);
    int integer = ev->kind == TL_BATCH;
    const char *want = integer ? "an integer in 1..1000000"
                               : "a number > 0";
    size_t n = next_tok(c, "", tok, &st);
    ev->arg_col = col(c, st);
    if (n == 0) {
        snprintf(hint, sizeof hint, "write 'at %s: %s %s'",
                 "STEP", name, integer ? "4" : "0.1");
        return scene_fail(e, c->file, c->line, ev->arg_col, hint,
                          "%s needs a value, %s", name, want);
    }
    double x = 0;
    uint64_t u = 0;
    int rc = n >= TOK_MAX ? 1 : 0;
    if (!rc && integer) {
        rc = scene_num_u64(tok, &u);
        if (!rc && (u < 1 || u > 1000000))
            rc = 1;
        x = (double)u;
    } else if (!rc) {
        rc = scene_num_double(tok, &x);
        if (!rc && !(x > 0.0))
            rc = 1;
    }
    if (rc)
        return scene_fail(e, c->file, c->line, ev->arg_col, NULL,
                          "%s must be %s, got '%.*s'%s", name, want, SCENE_QUOTE(tok),
                          rc == 2 ? " (too large)" : "");
    ev->value = x;
    return 0;
}

static int parse_dynamics(cursor *c, tl_event *ev, scene_err *e)
{
    char tok[TOK_MAX], hint[256];
    size_t st;
    size_t n = next_tok(c, "", tok, &st);
    ev->arg_col = col(c, st);
    if (n == 0) {
        scene_name_hint("", dyn_name_at, hint, sizeof hint);
        return scene_fail(e, c->file, c->line, ev->arg_col, hint,
                          "dynamics needs a name");
    }
    int k = n < TOK_MAX ? dyn_parse(tok) : -1;
    if (k < 0) {
        scene_name_hint(tok, dyn_name_at, hint, sizeof hint);
        return scene_fail(e, c->file, c->line, ev->arg_col, hint,
                          "unknown dynamics '%.*s'", SCENE_QUOTE(tok));
    }
    ev->value = k;
    return 0;
}

/* A duration in seconds: a number > 0 followed by 's' ("6s", "2.5s"), at
 * most a day.  Returns 0, 1 if tok is not one, 2 if out of range. */
static int parse_seconds(const char *tok, double *out)
{
    size_t n = strlen(tok);
    if (n < 2 || tok[n - 1] != 's')
        return 1;
    char num[TOK_MAX];
    memcpy(num, tok, n - 1);
    num[n - 1] = '\0';
    double x;
    int rc = scene_num_double(num, &x);
    if (rc)
        return rc;
    if (!(x > 0.0))
        return 1;
    if (x > 86400.0)
        return 2;
    *out = x;
    return 0;
}

/* Quoted text: double quotes with \" and \\ as its only escapes, like a
 * quoted value.  The cursor is on the opening quote. */
static int parse_text(cursor *c, tl_event *ev, scene_err *e,
                      const char *what)
{
    size_t q = c->i++, tn = 0;
    while (c->i < c->len && c->ln[c->i] != '"') {
        if (c->ln[c->i] == '\\' && c->i + 1 < c->len &&
            (c->ln[c->i + 1] == '"' || c->ln[c->i + 1] == '\\'))
            c->i++;
        if (tn == TL_TEXT_MAX - 1)
            return scene_fail(e, c->file, c->line, col(c, q + 1),
                              "split it over two captions",
                              "%s is too long (at most %d bytes)", what,
                              TL_TEXT_MAX - 1);
        ev->text[tn++] = c->ln[c->i++];
    }
    if (c->i == c->len)
        return scene_fail(e, c->file, c->line, col(c, q),
                          "close it with '\"'", "unterminated %s", what);
    ev->text[tn] = '\0';
    c->i++;
    return 0;
}

/* caption DURATION "TEXT": DURATION is steps (an integer), seconds ("6s")
 * or `key` (until a key is pressed); then the text in double quotes. */
static int parse_caption(cursor *c, tl_event *ev, scene_err *e)
{
    static const char form[] =
        "write 'caption 600 \"text\"' (steps), 'caption 6s \"text\"' "
        "(seconds) or 'caption key \"text\"' (until a key)";
    char tok[TOK_MAX];
    size_t st;
    uint64_t d = 0;
    size_t n = next_tok(c, "\"", tok, &st);
    if (n == 0)
        return scene_fail(e, c->file, c->line, col(c, st), form,
                          "caption needs a duration in steps");
    if (n < TOK_MAX && strcmp(tok, "key") == 0) {
        ev->unit = TL_UNTIL_KEY;
        ev->value = 0;
    } else if (n < TOK_MAX && n > 1 && tok[n - 1] == 's') {
        double x = 0;
        int rc = parse_seconds(tok, &x);
        if (rc)
            return scene_fail(e, c->file, c->line, col(c, st), form,
                              "caption duration in seconds must be a "
                              "number in (0, 86400] followed by 's', got "
                              "'%.*s'%s", SCENE_QUOTE(tok),
                              rc == 2 ? " (too large)" : "");
        ev->unit = TL_SECONDS;
        ev->value = x;
    } else {
        int rc = n >= TOK_MAX ? 1 : scene_num_u64(tok, &d);
        if (!rc && (d < 1 || d > 9007199254740992ull))
            rc = d < 1 ? 1 : 2;
        if (rc)
            return scene_fail(e, c->file, c->line, col(c, st), form,
                              "caption duration must be an integer >= 1 "
                              "(steps), got '%.*s'%s", SCENE_QUOTE(tok),
                              rc == 2 ? " (too large)" : "");
        ev->unit = TL_STEPS;
        ev->value = (double)d;
    }
    skip_blanks(c);
    ev->arg_col = col(c, c->i);
    if (c->i == c->len || c->ln[c->i] != '"')
        return scene_fail(e, c->file, c->line, ev->arg_col, form,
                          "caption text must be in double quotes");
    return parse_text(c, ev, e, "caption");
}

/* pause [DURATION]: no duration pauses the interactive view until space
 * (a recording holds its default); "5s" pauses 5 s everywhere. */
static int parse_pause(cursor *c, tl_event *ev, scene_err *e)
{
    char tok[TOK_MAX];
    size_t st;
    ev->unit = TL_STEPS;
    ev->value = 0;
    size_t save = c->i;
    size_t n = next_tok(c, "", tok, &st);
    if (n == 0) {
        c->i = save;
        return 0;
    }
    double x = 0;
    int rc = n >= TOK_MAX ? 1 : parse_seconds(tok, &x);
    if (rc)
        return scene_fail(e, c->file, c->line, col(c, st),
                          "pause takes no argument (until space) or a "
                          "time in seconds, e.g. 'pause 5s'",
                          "unexpected text after the pause event: '%.*s'"
                          "%s", SCENE_QUOTE(tok), rc == 2 ? " (too large)" : "");
    ev->unit = TL_SECONDS;
    ev->value = x;
    return 0;
}

/* end ["TEXT"]: the lesson's last event, with an optional closing
 * caption. */
static int parse_end(cursor *c, tl_event *ev, scene_err *e)
{
    skip_blanks(c);
    ev->arg_col = col(c, c->i);
    if (c->i == c->len || c->ln[c->i] != '"')
        return 0;
    return parse_text(c, ev, e, "end caption");
}

/* key K: one printable ASCII character, or the word `space` or `tab`.  A '#' as
 * the first character is the key '#', not a comment. */
static int parse_key(cursor *c, tl_event *ev, scene_err *e)
{
    static const char form[] = "write 'key +' or 'key space'";
    skip_blanks(c);
    size_t st = c->i;
    ev->arg_col = col(c, st);
    if (c->i == c->len)
        return scene_fail(e, c->file, c->line, ev->arg_col, form,
                          "key needs a key");
    if (c->ln[c->i] == '#')
        c->i++;
    while (c->i < c->len && !is_blank(c->ln[c->i]) && c->ln[c->i] != '#')
        c->i++;
    size_t n = c->i - st;
    const char *k = c->ln + st;
    if (n == 5 && memcmp(k, "space", 5) == 0) {
        ev->value = ' ';
        return 0;
    }
    if (n == 3 && memcmp(k, "tab", 3) == 0) {
        ev->value = '\t';
        return 0;
    }
    if (n == 1 && k[0] > ' ' && k[0] < 0x7F) {
        ev->value = k[0];
        return 0;
    }
    return scene_fail(e, c->file, c->line, ev->arg_col, form,
                      "a key is one printable ASCII character, 'space' or "
                      "'tab', got '%.*s'", (int)sanitize_clip(k, n, 48), k);
}

int scene_event_parse(scene *s, const char *ln, size_t len, size_t i,
                      const char *file, int line, scene_err *e)
{
    static const char form[] = "write 'at STEP: KIND', e.g. 'at 50%: decay'";
    cursor c = {ln, len, i + 2, file, line}; /* past "at" */
    tl_event ev;
    char tok[TOK_MAX], hint[256];
    size_t st;
    timeline *tl = &s->tl;

    if (tl->n >= TL_MAX_EVENTS)
        return scene_fail(e, file, line, col(&c, i), NULL,
                          "too many events (at most %d)", TL_MAX_EVENTS);
    memset(&ev, 0, sizeof ev);
    ev.line = line;

    size_t n = next_tok(&c, ":", tok, &st);
    ev.col = col(&c, st);
    if (n == 0)
        return scene_fail(e, file, line, ev.col, form,
                          "missing step after 'at'");
    int rc = n >= TOK_MAX ? 1 : scene_value_at(tok, &ev.at, &ev.is_frac);
    if (rc)
        return scene_fail(e, file, line, ev.col,
                          rc == 2 ? NULL
                                  : "STEP is a step (5000), a percentage "
                                    "(50%) or a fraction of steps (0.5)",
                          "%s event step '%.*s'",
                          rc == 2 ? "too large an" : "bad", SCENE_QUOTE(tok));
    skip_blanks(&c);
    if (c.i == len || ln[c.i] != ':') {
        snprintf(hint, sizeof hint, "write 'at %.*s: KIND'",
                 SCENE_QUOTE(tok));
        return scene_fail(e, file, line, col(&c, c.i), hint,
                          "missing ':' after the step");
    }
    c.i++;

    n = next_tok(&c, "", tok, &st);
    ev.arg_col = col(&c, st);
    int kind = -1;
    for (int k = 0; k < TL_KIND_COUNT && n < TOK_MAX; k++)
        if (strcmp(tok, timeline_kind_name((tl_kind)k)) == 0)
            kind = k;
    if (kind < 0) {
        scene_name_hint(tok, kind_name_at, hint, sizeof hint);
        if (n == 0)
            return scene_fail(e, file, line, ev.arg_col, hint,
                              "missing event after ':'");
        return scene_fail(e, file, line, ev.arg_col, hint,
                          "unknown event '%.*s'", SCENE_QUOTE(tok));
    }
    ev.kind = (tl_kind)kind;
    switch (ev.kind) {
    case TL_DECAY: rc = 0; break;
    case TL_PAUSE: rc = parse_pause(&c, &ev, e); break;
    case TL_END: rc = parse_end(&c, &ev, e); break;
    case TL_ETA: case TL_SCALE: case TL_BATCH:
        rc = parse_number(&c, &ev, e);
        break;
    case TL_DYNAMICS: rc = parse_dynamics(&c, &ev, e); break;
    case TL_CAPTION: rc = parse_caption(&c, &ev, e); break;
    case TL_KEY: rc = parse_key(&c, &ev, e); break;
    }
    if (rc)
        return -1;
    if (!at_end(&c)) {
        const char *name = timeline_kind_name(ev.kind);
        if (ev.kind == TL_DECAY)
            snprintf(hint, sizeof hint, "decay takes no argument; 'scale "
                     "X' multiplies the step size by X");
        else if (ev.kind == TL_END)
            snprintf(hint, sizeof hint, "end takes nothing or a caption "
                     "in double quotes: 'end \"That's all\"'");
        else
            snprintf(hint, sizeof hint, "put a '#' before a comment");
        return scene_fail(e, file, line, col(&c, c.i), hint,
                          "unexpected text after the %s event", name);
    }
    tl->ev[tl->n++] = ev;
    return 0;
}
