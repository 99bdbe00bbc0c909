/* pic_neurons.c — the teacher–student nets' picture (ts2, ts3): each
 * first-layer student neuron as a point |a_j|·w_j in a plane (the input
 * plane, or for d > 2 the plane of the first two teacher directions, and
 * the title then says it is a projection), the teacher's directions as
 * rays from the origin, the unit circle of the inputs, and a trail of the
 * run's last iterates fading with age.  The neurons that drift onto the
 * rays are the paper's Fig. 9.
 *
 * One unit is as long across as up: terminal cells are about twice as
 * tall as wide, so a unit spans dots_y/(2·dots_x) times as many dot rows
 * as dot columns, and the circle is round in every tier.  The frame's
 * half-height (or half-width, the shorter) is S, the smallest of 1, 1.5,
 * 2, 3, 5, 7 × 10^k holding every neuron and the trail (not the circle:
 * see neurons_scale): the title says ±S, and S moves only in those
 * steps.
 *
 * Two runs of one model are drawn side by side on one scale (the panel
 * is wider than a square picture needs, so each keeps most of its size):
 * the small-step and large-step runs of Fig. 9 read at a glance.  More
 * runs: the focused run alone, as the panel does for every picture. */
#include "pic.h"

#include <math.h>
#include <stdio.h>

#include "panel_kit.h"

#define TEACHER_SHOWN 64 /* teacher directions drawn, at most */

/* Neurons of one iterate, and of the one before it (the trail's
 * segments join them). */
static double cur[2 * MODEL_NEURONS_MAX], prev[2 * MODEL_NEURONS_MAX];
static double tdir[2 * TEACHER_SHOWN];

/* Where the plane's unit sits in a rectangle of dots. */
typedef struct frame {
    rect area;      /* cells */
    double cx, cy;  /* the origin, in dots from area's corner */
    double kx, ky;  /* dots per unit across and up */
} frame;

/* The neurons of R at θ into xy (n of them); the teacher's into tdir
 * (*tn) and whether the plane is a projection, when asked. */
static size_t neurons_at(const run *R, const double *theta, double *xy,
                         size_t *tn, int *projected)
{
    size_t n = 0, t = 0;
    int proj = 0;
    R->m.ops->neurons(&R->m, theta, xy, MODEL_NEURONS_MAX, &n, tdir,
                      TEACHER_SHOWN, &t, &proj);
    if (tn)
        *tn = t < TEACHER_SHOWN ? t : TEACHER_SHOWN;
    if (projected)
        *projected = proj;
    return n < MODEL_NEURONS_MAX ? n : MODEL_NEURONS_MAX;
}

/* The largest |point| of R's neurons now and along its trail (0 when
 * none is finite). */
static double neurons_reach(const run *R)
{
    double big = 0.0;
    size_t len = R->trail_len ? R->trail_len : 1;
    for (size_t k = 0; k < len; k++) {
        const double *th = R->trail_len ? run_trail_at(R, k) : R->theta;
        size_t n = neurons_at(R, th, cur, NULL, NULL);
        for (size_t j = 0; j < n; j++) {
            double v = hypot(cur[2 * j], cur[2 * j + 1]);
            if (isfinite(v) && v > big)
                big = v;
        }
    }
    return big;
}

/* The frame's half-extent for a reach: the neurons, in steps.  Not the
 * unit circle too: the neurons |a_j|·w_j of the paper's setting stay
 * within about 0.4 (the output weights start at 0), and a frame held at
 * ±1 drew them as one blob in the middle at 100x30; the circle is drawn
 * where it falls in the frame (its arcs at the sides, or not at all) and
 * the rays cross the whole frame whatever the scale.  Nothing to hold
 * (a = 0 at the start): ±1, the inputs' scale. */
static double neurons_scale(double reach)
{
    return reach > 0 && isfinite(reach) ? panel_nice_ceil(reach) : 1.0;
}

/* A frame of half-extent S centred in area, one unit as long across as
 * up (cells twice as tall as wide), half a dot of margin at the edges. */
static frame frame_fit(const canvas *c, rect area, double S)
{
    frame f = {area, 0, 0, 0, 0};
    int dx = canvas_dots_x(c), dy = canvas_dots_y(c);
    int W = area.w * dx, H = area.h * dy;
    f.cx = (double)((W - 1) / 2);
    f.cy = (double)((H - 1) / 2);
    double up = (double)dy / (2.0 * dx); /* dot rows per dot column */
    double kx = fmin((f.cx - 0.5) / S, (f.cy - 0.5) / (S * up));
    f.kx = fmax(kx, 0.0);
    f.ky = f.kx * up;
    return f;
}

static double fx(const frame *f, double x) { return f->cx + f->kx * x; }
static double fy(const frame *f, double y) { return f->cy - f->ky * y; }

/* The unit circle, dotted (every other dot of its length; every cell in
 * the ASCII tier), so it reads apart from the solid rays without colour. */
static void draw_circle(canvas *c, const frame *f)
{
    double gap = c->tier == GLYPH_ASCII ? 1.0 : 2.0;
    double len = 2.0 * M_PI * fmax(f->kx, f->ky);
    int n = (int)(len / gap);
    if (n < 8)
        n = 8;
    for (int i = 0; i < n; i++) {
        double a = 2.0 * M_PI * i / n;
        canvas_dot(c, f->area, (int)lround(fx(f, cos(a))),
                   (int)lround(fy(f, sin(a))), ROLE_DIM);
    }
}

/* The character of a ray in the ASCII tier: its slope on screen. */
static uint32_t ray_char(double x, double y)
{
    double a = fmod(atan2(y, x) * 180.0 / M_PI + 180.0, 180.0);
    return a < 22.5 || a >= 157.5 ? '-' : a < 67.5 ? '/' : a < 112.5 ? '|'
                                                                      : '\\';
}

/* The teacher's directions as rays from the origin to the frame's edge:
 * dots, or in the ASCII tier the ray's slope character in each cell
 * (dots there are one per cell and could not show a direction). */
static void draw_rays(canvas *c, const frame *f, size_t tn)
{
    int dx = canvas_dots_x(c), dy = canvas_dots_y(c);
    double far = (double)(f->area.w * dx + f->area.h * dy); /* past an edge */
    for (size_t k = 0; k < tn; k++) {
        double x = tdir[2 * k], y = tdir[2 * k + 1];
        /* the direction in dots, unit length */
        double ux = x * f->kx, uy = -y * f->ky, l = hypot(ux, uy);
        if (!(l > 0) || !isfinite(l))
            continue;
        ux /= l;
        uy /= l;
        if (c->tier != GLYPH_ASCII) {
            canvas_line(c, f->area, f->cx, f->cy, f->cx + far * ux,
                        f->cy + far * uy, ROLE_TEST);
            continue;
        }
        /* one cell per step along the longer axis: a line, not a smear */
        uint32_t ch = ray_char(x, y);
        double step = 1.0 / fmax(fabs(ux), fabs(uy));
        for (double t = step;; t += step) {
            int col = (int)floor(f->cx + t * ux + 0.5);
            int row = (int)floor(f->cy + t * uy + 0.5);
            if (col < 0 || row < 0 || col >= f->area.w || row >= f->area.h)
                break;
            canvas_put(c, f->area.x + col, f->area.y + row, ch, ROLE_TEST, 0);
        }
    }
}

/* R's trail: each neuron's path through the run's last iterates, oldest
 * first, the older half dim and the newer half in the trail's role, so
 * the newest steps lie on top and the path fades into the past. */
static void draw_trail(canvas *c, const frame *f, const run *R)
{
    size_t len = R->trail_len;
    if (len < 2)
        return;
    size_t n = neurons_at(R, run_trail_at(R, len - 1), prev, NULL, NULL);
    for (size_t k = len - 1; k-- > 0;) {
        size_t n2 = neurons_at(R, run_trail_at(R, k), cur, NULL, NULL);
        int role = k >= len / 2 ? ROLE_DIM : ROLE_TRAIL;
        for (size_t j = 0; j < n && j < n2; j++)
            canvas_line(c, f->area, fx(f, prev[2 * j]),
                        fy(f, prev[2 * j + 1]), fx(f, cur[2 * j]),
                        fy(f, cur[2 * j + 1]), role);
        for (size_t j = 0; j < 2 * n2; j++)
            prev[j] = cur[j];
        n = n2;
    }
}

/* R's neurons now: ● (the ASCII tier's @) in the cell of each point. */
static void draw_points(canvas *c, const frame *f, const run *R, int role)
{
    size_t n = neurons_at(R, R->theta, cur, NULL, NULL);
    int dx = canvas_dots_x(c), dy = canvas_dots_y(c);
    for (size_t j = 0; j < n; j++) {
        double px = floor(fx(f, cur[2 * j]) + 0.5);
        double py = floor(fy(f, cur[2 * j + 1]) + 0.5);
        /* off the frame (or not a number): not drawn, and never cast */
        if (!(px >= 0 && px < f->area.w * dx && py >= 0 &&
              py < f->area.h * dy))
            continue;
        int col = (int)px / dx, row = (int)py / dy;
        canvas_put(c, f->area.x + col, f->area.y + row,
                   c->tier == GLYPH_ASCII ? '@' : 0x25CF, role, ATTR_BOLD);
    }
}

/* The whole picture of R in area at half-extent S, its neurons in role. */
static void neurons_picture(canvas *c, rect area, const run *R, double S,
                            int role)
{
    size_t tn = 0;
    neurons_at(R, R->theta, cur, &tn, NULL);
    frame f = frame_fit(c, area, S);
    if (!(f.kx > 0))
        return;
    /* the rays over the trail: in the ASCII tier a dot would erase a
     * ray's character, and the rays are what the neurons are read by */
    draw_circle(c, &f);
    draw_trail(c, &f, R);
    draw_rays(c, &f, tn);
    draw_points(c, &f, R, role);
}

/* The scale in the title: "frame ±S" (the shorter side's half). */
static void scale_text(const canvas *c, double S, char *l, char *s,
                       size_t cap)
{
    char b[16];
    const char *pm = c->tier == GLYPH_ASCII ? "+-" : "±";
    plot_fmt(S, b, sizeof b);
    snprintf(l, cap, "frame %s%s", pm, b);
    snprintf(s, cap, "%s%s", pm, b);
}

/* Degrees: "°", or " deg" where there is no UTF-8. */
static const char *deg(const canvas *c)
{
    return c->tier == GLYPH_ASCII ? " deg" : "°";
}

/* The mean angle to the nearest teacher direction, as the model's
 * extras give it ("–" before any is computed). */
static void angle_text(const canvas *c, const run *R, char *l, char *s,
                       char *xs, size_t cap)
{
    double a = R->last.ex.teacher_angle;
    if (isfinite(a)) {
        snprintf(l, cap, "angle to teacher %.1f%s", a, deg(c));
        snprintf(s, cap, "angle %.0f%s", a, deg(c));
        snprintf(xs, cap, "%.0f%s", a, deg(c)); /* the smallest panels */
    } else {
        snprintf(l, cap, "angle to teacher –");
        snprintf(s, cap, "angle –");
        snprintf(xs, cap, "–");
    }
}

/* Whether R's model draws neurons at all (a picture without its op is
 * a model bug: nothing rather than a crash). */
static int has_neurons(const run *R)
{
    return R->m.ops->neurons != NULL;
}

/* The panel's name, longest first: what is drawn (|a|·w), whether per
 * run, and for a projected plane that it is one. */
static fit_part name_part(int ascii, int projected, int per_run)
{
    static const char *const v[2][2][2][FIT_VARIANTS] = {
        {{{"Neurons |a|·w", "Neurons", NULL},
          {"Neurons |a|·w per run", "Neurons per run", "Neurons", NULL}},
         {{"Neurons |a|·w (projection on the teacher plane)",
           "Neurons (projection on the teacher plane)",
           "Neurons (projection)", "Neurons (proj.)"},
          {"Neurons per run (projection on the teacher plane)",
           "Neurons per run (projection)", "Neurons (projection)",
           "Neurons (proj.)"}}},
        {{{"Neurons |a|*w", "Neurons", NULL},
          {"Neurons |a|*w per run", "Neurons per run", "Neurons", NULL}},
         {{"Neurons |a|*w (projection on the teacher plane)",
           "Neurons (projection on the teacher plane)",
           "Neurons (projection)", "Neurons (proj.)"},
          {"Neurons per run (projection on the teacher plane)",
           "Neurons per run (projection)", "Neurons (projection)",
           "Neurons (proj.)"}}},
    };
    const char *const *w = v[!!ascii][!!projected][!!per_run];
    fit_part p = {{NULL}, FIT_KEEP, ROLE_TITLE, ATTR_BOLD};
    for (size_t i = 0; i < FIT_VARIANTS && w[i]; i++)
        p.v[i] = w[i];
    return p;
}

void pic_neurons_draw(canvas *c, rect r, const run *R, fit_part who)
{
    if (r.h < 1 || !has_neurons(R))
        return;
    int projected = 0;
    neurons_at(R, R->theta, cur, NULL, &projected);
    double S = neurons_scale(neurons_reach(R));
    char sl[32], ss[32], al[48], as[32], ax[32];
    scale_text(c, S, sl, ss, sizeof sl);
    angle_text(c, R, al, as, ax, sizeof as);
    int ascii = c->tier == GLYPH_ASCII;
    /* Kept: the scale (above FIT_KEEP: it shortens last), the name and
     * the angle (a later part on a tie: it shortens first); the legend
     * goes before any of them shortens.  At 60 columns all still fits. */
    fit_part parts[] = {
        name_part(ascii, projected, 0),
        who,
        {{sl, ss, NULL}, FIT_KEEP + 1, ROLE_DIM, 0},
        {{al, as, NULL}, FIT_KEEP, ROLE_TRAIN, ATTR_BOLD},
        {{ascii ? "-- teacher" : "── teacher", NULL}, 3, ROLE_TEST, 0},
        {{"● neuron", NULL}, 2, ROLE_ITERATE, ATTR_BOLD},
        {{"○ |x| = 1", NULL}, 1, ROLE_DIM, 0},
    };
    /* The bare value ("71°") only when even the short forms overflow (a
     * run alone at 60 columns): offered earlier, it would give way before
     * the name shortens and leave a number without its word. */
    size_t np = sizeof parts / sizeof parts[0];
    int pick[sizeof parts / sizeof parts[0]];
    if (!who.v[0] && fit_choose(c, parts, np, "  ", r.w - 1, pick) > r.w - 1)
        parts[3].v[2] = ax; /* the angle */
    panel_title(c, r, parts, np);
    rect area = {r.x, r.y + 1, r.w - 1, r.h - 1};
    if (area.w < 4 || area.h < 3)
        return;
    neurons_picture(c, area, R, S, ROLE_ITERATE);
}

int pic_neurons_compare(canvas *c, rect r, const runset *s)
{
    if (s->n != 2)
        return 0;
    rect area = {r.x, r.y + 1, r.w - 1, r.h - 1};
    int half = (area.w - 1) / 2; /* a rule between the two */
    if (half < 8 || area.h < 4)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (!has_neurons(s->r[i]))
            return 0;
    double reach = 0.0;
    for (size_t i = 0; i < s->n; i++)
        reach = fmax(reach, neurons_reach(s->r[i]));
    double S = neurons_scale(reach);
    const run *F = s->r[s->focus];
    int projected = 0;
    neurons_at(F, F->theta, cur, NULL, &projected);

    char sl[32], ss[32], val[RUNSTYLE_MAX][32], one[48], one_s[48];
    scale_text(c, S, sl, ss, sizeof sl);
    for (size_t i = 0; i < s->n; i++) {
        double a = s->r[i]->last.ex.teacher_angle;
        if (isfinite(a))
            snprintf(val[i], sizeof val[i], "%c:%.0f%s",
                     (char)runstyle_digit(i), a, deg(c));
        else
            snprintf(val[i], sizeof val[i], "%c:–", (char)runstyle_digit(i));
    }
    int ascii = c->tier == GLYPH_ASCII;
    fit_part parts[RUNSTYLE_MAX + 8];
    size_t np = 0;
    parts[np++] = name_part(ascii, projected, 1);
    /* above FIT_KEEP: the name shortens before the scale does */
    parts[np++] = (fit_part){{sl, ss, NULL}, FIT_KEEP + 1, ROLE_DIM, 0};
    /* the angles of every run when they fit beside the name's short
     * form and the whole scale */
    int used = canvas_text_cells(c, projected ? "Neurons per run "
                                                "(projection)"
                                              : "Neurons per run") +
               2 + canvas_text_cells(c, sl) + 2;
    if (!pic_all_values(c, s, "angle", val, r.w - 1 - used, parts, &np)) {
        /* kept: the name shortens for it ("angle of 2:8°") */
        snprintf(one, sizeof one, "angle of %s", val[s->focus]);
        snprintf(one_s, sizeof one_s, "angle %s", val[s->focus]);
        parts[np++] = (fit_part){{one, one_s, NULL}, FIT_KEEP,
                                 runstyle_role(s->focus), ATTR_BOLD};
    }
    parts[np++] = (fit_part){{ascii ? "-- teacher" : "── teacher", NULL}, 3,
                             ROLE_TEST, 0};
    parts[np++] = (fit_part){{"○ |x| = 1", NULL}, 1, ROLE_DIM, 0};
    panel_title(c, r, parts, np);

    for (size_t i = 0; i < s->n; i++) {
        rect a = {area.x + (int)i * (half + 1), area.y, half, area.h};
        neurons_picture(c, a, s->r[i], S, runstyle_role(i));
        /* the run's digit in the picture's corner, ▸ if focused, as the
         * strips of the other pictures name theirs (the legend above
         * gives the names; a corner has no room for them) */
        char lab[8];
        snprintf(lab, sizeof lab, "%s%c", i == s->focus ? "▸" : " ",
                 (char)runstyle_digit(i));
        canvas_text(c, a.x, a.y, lab, runstyle_role(i),
                    i == s->focus ? ATTR_BOLD : 0, a.w);
    }
    for (int y = area.y; y < area.y + area.h; y++)
        canvas_put(c, area.x + half, y, ascii ? '|' : 0x2502, ROLE_DIM, 0);
    return 1;
}
