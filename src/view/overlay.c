/* overlay.c — what is drawn over the panels: the scene's caption, the
 * divergence notice, the help, the scene picker and the `:` prompt; see
 * overlay.h.
 *
 * Captions are subtitles: they sit in rows the layout keeps for a
 * lesson's captions, just above the status line, never over the top
 * panels nor the key hints, so the valley the caption talks about stays
 * in view even at 80x24. */
#include "overlay.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "fit.h"
#include "runstyle.h"
#include "table.h"

/* A bordered box: clears r and draws its frame. */
static void frame(canvas *c, rect r, int role)
{
    int ascii = c->tier == GLYPH_ASCII;
    canvas_fill(c, r, ' ', ROLE_TEXT, 0);
    for (int i = 1; i < r.w - 1; i++) {
        canvas_put(c, r.x + i, r.y, ascii ? '-' : 0x2500, role, 0);
        canvas_put(c, r.x + i, r.y + r.h - 1, ascii ? '-' : 0x2500, role, 0);
    }
    for (int j = 1; j < r.h - 1; j++) {
        canvas_put(c, r.x, r.y + j, ascii ? '|' : 0x2502, role, 0);
        canvas_put(c, r.x + r.w - 1, r.y + j, ascii ? '|' : 0x2502, role, 0);
    }
    canvas_put(c, r.x, r.y, ascii ? '+' : 0x250C, role, 0);
    canvas_put(c, r.x + r.w - 1, r.y, ascii ? '+' : 0x2510, role, 0);
    canvas_put(c, r.x, r.y + r.h - 1, ascii ? '+' : 0x2514, role, 0);
    canvas_put(c, r.x + r.w - 1, r.y + r.h - 1, ascii ? '+' : 0x2518, role,
               0);
}

/* A centred box of w × h cells (clamped to the canvas). */
static rect centred(const canvas *c, int w, int h)
{
    if (w > c->w)
        w = c->w;
    if (h > c->h)
        h = c->h;
    return (rect){(c->w - w) / 2, (c->h - h) / 2, w, h};
}

/* Text clipped to w cells, with "..." when it does not fit. */
static void text_clipped(canvas *c, int x, int y, const char *s, int role,
                         int attr, int w)
{
    if (w <= 0)
        return;
    if (canvas_text_cells(c, s) <= w) {
        canvas_text(c, x, y, s, role, attr, w);
        return;
    }
    /* Too long: end at the last blank that leaves room for the mark, so
     * no word is cut in half (a lecturer reads whole words or none). */
    int ascii = c->tier == GLYPH_ASCII, mark = ascii ? 3 : 1;
    char buf[512];
    size_t cut = 0;
    for (size_t i = 0; s[i] && i < sizeof buf - 1; i++) {
        if (s[i] != ' ')
            continue;
        memcpy(buf, s, i);
        buf[i] = 0;
        if (canvas_text_cells(c, buf) > w - mark)
            break;
        cut = i;
    }
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    memcpy(buf, s, cut);
    buf[cut] = 0;
    int end = canvas_text(c, x, y, buf, role, attr, w - mark);
    canvas_text(c, cut ? x + end + 1 : x, y, ascii ? "..." : "\xE2\x80\xA6",
                ROLE_DIM, attr, mark);
}

#define CAP_LINES 4
/* A caption with its escapes (sanitize.h) and the lesson's closing words. */
#define CAP_TEXT_MAX (TL_TEXT_MAX * 2 + 96)

/* Breaks text into at most CAP_LINES lines of w cells at blanks. */
static int wrap(const canvas *c, const char *text, int w,
                char out[CAP_LINES][CAP_TEXT_MAX])
{
    int n = 0;
    const char *s = text;
    while (*s && n < CAP_LINES) {
        /* the longest prefix ending at a blank (or the end) that fits */
        size_t best = 0, i = 0;
        char buf[CAP_TEXT_MAX];
        for (;;) {
            if (s[i] == ' ' || s[i] == '\0') {
                snprintf(buf, sizeof buf, "%.*s", (int)i, s);
                if (canvas_text_cells(c, buf) > w)
                    break;
                best = i;
                if (s[i] == '\0')
                    break;
            }
            i++;
        }
        if (best == 0) { /* one word wider than the line: cut it */
            best = strlen(s) < (size_t)w ? strlen(s) : (size_t)w;
            while (best > 1 && ((unsigned char)s[best] & 0xC0) == 0x80)
                best--; /* not inside a UTF-8 character */
        }
        snprintf(out[n++], sizeof out[0], "%.*s", (int)best, s);
        s += best;
        while (*s == ' ')
            s++;
    }
    return n;
}

/* A bordered box with lines of text, centred.  A line wider than the
 * screen allows is wrapped at blanks (the first line, the title, stays
 * bold), so no word is cut at 80 columns. */
static void box(canvas *c, const char *const *lines, size_t n, int role)
{
    static char out[16][CAP_LINES * CAP_TEXT_MAX];
    int bold[16];
    size_t m = 0;
    int room = c->w - 4;
    for (size_t i = 0; i < n && m < 16; i++) {
        if (canvas_text_cells(c, lines[i]) <= room || room < 8) {
            snprintf(out[m], sizeof out[m], "%s", lines[i]);
            bold[m++] = i == 0;
            continue;
        }
        char part[CAP_LINES][CAP_TEXT_MAX];
        int k = wrap(c, lines[i], room, part);
        for (int j = 0; j < k && m < 16; j++) {
            snprintf(out[m], sizeof out[m], "%s", part[j]);
            bold[m++] = i == 0;
        }
    }
    int w = 0;
    for (size_t i = 0; i < m; i++) {
        int l = canvas_text_cells(c, out[i]);
        if (l > w)
            w = l;
    }
    rect r = centred(c, w + 4, (int)m + 2);
    frame(c, r, role);
    for (size_t i = 0; i < m && (int)i < r.h - 2; i++)
        canvas_text(c, r.x + 2, r.y + 1 + (int)i, out[i],
                    bold[i] ? ROLE_TITLE : ROLE_TEXT, bold[i] ? ATTR_BOLD : 0,
                    r.w - 4);
}

#define HELP_ROWS 48

/* One row of the help: "%-6s %s" (the key, what it does), then the
 * other keys of the action, all from the key table. */
static void help_row(const app_key *k, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "%-6s %s", k->label, k->help);
    for (int i = 0; i < APP_KEY_ALTS && k->alt[i] && n < cap; i++) {
        char name[16];
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : " (also ",
                              app_key_name(k->alt[i], name, sizeof name));
        if (i + 1 == APP_KEY_ALTS || !k->alt[i + 1])
            n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, ")");
    }
}

static void help_overlay(canvas *c, const app *a)
{
    static char rows[HELP_ROWS][128];
    static char notes[4][320];
    size_t nr = 0, nn = 0;
    for (size_t i = 0; i < app_nkeys && nr < HELP_ROWS; i++)
        help_row(&app_keys[i], rows[nr++], sizeof rows[0]);
    if (a->r && a->r->m.n == 0)
        snprintf(notes[nn++], sizeof notes[0],
                 "o: this model is online (n = 0, no finite training set), "
                 "so o switches SGD <-> GD only: label-noise GD and the SDE "
                 "need n > 0.");
    {
        char *note = notes[nn++];
        size_t n = (size_t)snprintf(note, sizeof notes[0], ": commands  ");
        for (size_t i = 0; i < app_ncmds && n < sizeof notes[0]; i++)
            n += (size_t)snprintf(note + n, sizeof notes[0] - n, "%s%s",
                                  i ? " | " : "", app_cmds[i].form);
        if (n < sizeof notes[0])
            snprintf(note + n, sizeof notes[0] - n,
                     "   (Enter runs, Esc cancels)");
    }
    snprintf(notes[nn++], sizeof notes[0],
             "Scene list (p): Up/Down or j/k, Enter opens, Esc closes.  "
             "Map (S): arrows move, Enter opens the cell's run, Tab metric, "
             "z/Z zoom, r reruns, Esc back.  "
             "Any key closes this help (F10 quits).");
    int widest = 0, longest = 0;
    for (size_t i = 0; i < nr; i++) {
        int l = canvas_text_cells(c, rows[i]);
        if (l > widest)
            widest = l;
    }
    for (size_t i = 0; i < nn; i++) {
        int l = canvas_text_cells(c, notes[i]);
        if (l > longest)
            longest = l;
    }
    /* One column when it fits the height with the status line below it
     * still in view (the run's step count, waiting), else two side by
     * side; the notes are sentences and wrap to the box. */
    static char wrapped[4 * CAP_LINES][CAP_TEXT_MAX];
    int cols, colw, w, nw;
    for (cols = 1;; cols++) {
        colw = widest;
        w = cols * colw + (cols - 1) * 3 + 4;
        /* notes may widen a narrow box, not past a readable measure */
        if (w < 72)
            w = longest + 4 < 72 ? longest + 4 : 72;
        if (w > c->w)
            w = c->w;
        if (cols * colw + (cols - 1) * 3 > w - 4)
            colw = (w - 4 - (cols - 1) * 3) / cols;
        nw = 0;
        for (size_t i = 0; i < nn && w > 12; i++)
            nw += wrap(c, notes[i], w - 4, &wrapped[nw]);
        int per = (int)((nr + (size_t)cols - 1) / (size_t)cols);
        if (1 + per + nw + 2 <= c->h - 3 || cols == 2)
            break;
    }
    int per = (int)((nr + (size_t)cols - 1) / (size_t)cols);
    int inner = w - 4;
    rect r = centred(c, w, 1 + per + nw + 2);
    frame(c, r, ROLE_TITLE);
    int y = r.y + 1, bottom = r.y + r.h - 1;
    canvas_text(c, r.x + 2, y++, "sgdscope keys", ROLE_TITLE, ATTR_BOLD,
                inner);
    for (int i = 0; i < per && y < bottom; i++, y++)
        for (int k = 0; k < cols; k++) {
            size_t idx = (size_t)(k * per + i);
            if (idx < nr)
                text_clipped(c, r.x + 2 + k * (colw + 3), y, rows[idx],
                             ROLE_TEXT, 0, colw);
        }
    for (int i = 0; i < nw && y < bottom; i++)
        canvas_text(c, r.x + 2, y++, wrapped[i], ROLE_DIM, 0, inner);
}

/* The focused run froze: say so, when, and the way back.  Of several
 * runs, the box names it (the others go on) and lists the other frozen
 * ones; a frozen run that is not focused is marked in the legend and at
 * its curve's end instead, without covering the runs still going. */
static void diverged_overlay(canvas *c, const app *a)
{
    runset s;
    runset_from_app(&s, a);
    char l1[96], l2[128], l3[96], l4[160], n1[32];
    fit_count(a->r->diverged_at, n1, sizeof n1);
    if (s.multi)
        snprintf(l1, sizeof l1, "Run %zu %s diverged at step %s",
                 s.focus + 1, s.name[s.focus], n1);
    else
        snprintf(l1, sizeof l1, "Diverged at step %llu",
                 (unsigned long long)a->r->diverged_at);
    snprintf(l2, sizeof l2, "The loss passed diverge_loss; the run is frozen at "
             "its last state within it.");
    snprintf(l3, sizeof l3, "u: rewind with η/2    r: reset    R: new seed");
    const char *lines[4] = {l1, l2, l3, NULL};
    size_t n = 3;
    if (s.multi) {
        size_t k = (size_t)snprintf(l4, sizeof l4, "Also frozen:");
        int others = 0;
        for (size_t i = 0; i < s.n && k < sizeof l4; i++)
            if (i != s.focus && s.r[i]->diverged) {
                k += (size_t)snprintf(l4 + k, sizeof l4 - k,
                                      "%s %zu %s at step %s",
                                      others++ ? "," : "", i + 1, s.name[i],
                                      fit_count(s.r[i]->diverged_at, n1,
                                                sizeof n1));
            }
        if (others)
            lines[n++] = l4;
        snprintf(l2, sizeof l2, "Its loss passed diverge_loss: it is frozen "
                 "at its last state within it, the other runs go on.");
    }
    box(c, lines, n, ROLE_WARN);
}

/* The scene picker: every scene of the list with its title, the
 * highlighted one in reverse video, scrolled to keep it in view. */
static void picker_overlay(canvas *c, const app *a)
{
    size_t n = a->nscenes;
    int namew = 0, w = 0;
    /* file names and titles are anyone's text: shown sanitized */
    static char names[APP_MAX_SCENES][SCENE_NAME_MAX * 2];
    static char titles[APP_MAX_SCENES][SCENE_NAME_MAX * 2];
    for (size_t i = 0; i < n; i++) {
        sanitize_text(names[i], sizeof names[i], a->scenes[i].name);
        sanitize_text(titles[i], sizeof titles[i], a->scenes[i].title);
        int l = canvas_text_cells(c, names[i]);
        if (l > namew)
            namew = l;
    }
    for (size_t i = 0; i < n; i++) {
        int l = namew + 4 + canvas_text_cells(c, titles[i]);
        if (l > w)
            w = l;
    }
    static const char title[] =
        "Scenes  (Up/Down j/k move, Enter opens, Esc closes)";
    if (canvas_text_cells(c, title) > w)
        w = canvas_text_cells(c, title);
    rect r = centred(c, w + 4, (int)n + 3);
    frame(c, r, ROLE_TITLE);
    int inner = r.w - 4, rows = r.h - 3;
    if (rows <= 0 || inner <= 0)
        return;
    canvas_text(c, r.x + 2, r.y + 1, title, ROLE_TITLE, ATTR_BOLD, inner);
    size_t top = 0;
    if (a->pick >= (size_t)rows)
        top = a->pick - (size_t)rows + 1;
    for (int k = 0; k < rows && top + (size_t)k < n; k++) {
        size_t i = top + (size_t)k;
        int y = r.y + 2 + k, sel = i == a->pick;
        char line[SCENE_NAME_MAX * 4 + 1024];
        /* padded in cells, not bytes: a name may hold non-ASCII text */
        int pad = namew - canvas_text_cells(c, names[i]);
        snprintf(line, sizeof line, "%c %s%*s  %s",
                 i == a->scene_idx ? '*' : ' ', names[i], pad > 0 ? pad : 0,
                 "", titles[i]);
        if (sel)
            canvas_fill(c, (rect){r.x + 1, y, r.w - 2, 1}, ' ', ROLE_TEXT,
                        ATTR_REVERSE);
        text_clipped(c, r.x + 2, y, line,
                     a->scenes[i].ok ? ROLE_TEXT : ROLE_DIM,
                     sel ? ATTR_REVERSE | ATTR_BOLD : 0, inner);
    }
}

/* The `:` line over the bottom row, vi-style, with what it accepts. */
static void prompt_overlay(canvas *c, const app *a)
{
    int y = c->h - 1;
    char line[APP_LINE_MAX + 8];
    snprintf(line, sizeof line, ":%s", a->line);
    canvas_fill(c, (rect){0, y, c->w, 1}, ' ', ROLE_TEXT, 0);
    int x = canvas_text(c, 0, y, line, ROLE_TEXT, ATTR_BOLD, c->w);
    canvas_put(c, x, y, ' ', ROLE_TEXT, ATTR_REVERSE); /* the cursor */
    /* how to leave first, then the commands, as many whole ones as the
     * row holds (the help lists them all) */
    char help[256] = "Enter runs, Esc cancels";
    int room = c->w - x - 3;
    if (canvas_text_cells(c, help) > room)
        return;
    for (size_t i = 0; i < app_ncmds; i++) {
        size_t n = strlen(help);
        int k = snprintf(help + n, sizeof help - n, "%s%s", i ? " | " : "   ",
                         app_cmds[i].form);
        if (k < 0 || (size_t)k >= sizeof help - n ||
            canvas_text_cells(c, help) > room) {
            help[n] = 0; /* this one does not fit whole */
            break;
        }
    }
    canvas_text(c, x + 3, y, help, ROLE_DIM, 0, room);
}

/* The caption as subtitles, bottom-aligned in `area` (the lesson's rows
 * above the status line); a longer caption rises into the lower panels'
 * bottom, never into the valley at the top. */
static void caption_rows(canvas *c, const app *a, const char *text,
                         rect area)
{
    /* the scene author's text: escapes shown, never acted on */
    char shown[TL_TEXT_MAX * 2], full[CAP_TEXT_MAX];
    sanitize_text(shown, sizeof shown, text);
    if (a->ended)
        snprintf(full, sizeof full, "%s%sLesson over: r restarts it, m "
                 "opens the next scene, space runs on.", shown,
                 shown[0] ? "  " : "");
    else if (a->waitkey)
        snprintf(full, sizeof full, "%s  [any key]", shown);
    else
        snprintf(full, sizeof full, "%s", shown);
    char lines[CAP_LINES][CAP_TEXT_MAX];
    int w = c->w - 2;
    if (w < 8)
        return;
    int n = wrap(c, full, w, lines);
    if (n == 0)
        return;
    /* bottom-aligned in the lesson's rows; without them, just above the
     * status line */
    int y_end = area.h > 0 ? area.y + area.h - 1 : c->h - 3;
    for (int i = 0; i < n; i++) {
        int y = y_end - (n - 1) + i;
        if (y < c->h / 2) /* never into the top panels */
            continue;
        canvas_fill(c, (rect){0, y, c->w, 1}, ' ', ROLE_GOOD, ATTR_REVERSE);
        canvas_text(c, 1, y, lines[i], ROLE_GOOD, ATTR_REVERSE | ATTR_BOLD,
                    w);
    }
}

void overlay_draw(canvas *c, const app *a, rect caption)
{
    const char *cap = app_caption(a);
    if (cap || a->ended)
        caption_rows(c, a, cap ? cap : "", caption);
    if (a->table && !a->help)
        table_draw(c, a, (rect){0, 1, c->w, c->h - 3});
    else if (a->r->diverged && !a->help)
        diverged_overlay(c, a);
    if (a->picker)
        picker_overlay(c, a);
    if (a->help)
        help_overlay(c, a);
    if (a->prompt)
        prompt_overlay(c, a);
}
