/* timeline.c — events at given steps: resolving fractions of the run
 * length, finding the next event, and the --script key strings.  The
 * scene-file syntax (`at STEP: KIND ARGS`) is parsed in scene_event.c. */
#include "timeline.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

/* Indexed by tl_kind; also the names a scene writes. */
static const char *const kind_names[TL_KIND_COUNT] = {
    [TL_DECAY] = "decay", [TL_ETA] = "eta", [TL_SCALE] = "scale",
    [TL_DYNAMICS] = "dynamics", [TL_BATCH] = "batch", [TL_PAUSE] = "pause",
    [TL_CAPTION] = "caption", [TL_KEY] = "key", [TL_END] = "end",
};

_Static_assert(TL_END + 1 == TL_KIND_COUNT, "TL_KIND_COUNT is stale");

const char *timeline_kind_name(tl_kind k)
{
    return (unsigned)k < TL_KIND_COUNT ? kind_names[k] : NULL;
}

/* The step of fraction f of steps, ⌊f·N⌋ as schedule.c does for decays
 * (the notebooks' int(f * num_iter): 10% of 100001 is step 10000).
 * Saturates instead of converting an out-of-range double, which C leaves
 * undefined. */
static uint64_t frac_step(double f, uint64_t steps)
{
    double x = floor(f * (double)steps);
    if (!(x >= 0.0))
        return 0;
    if (x >= 18446744073709551616.0) /* 2^64 */
        return UINT64_MAX;
    return (uint64_t)x;
}

int timeline_resolve(timeline *tl, uint64_t steps, size_t *bad, char *err,
                     size_t errlen)
{
    for (size_t i = 0; i < tl->n; i++) {
        tl_event *ev = &tl->ev[i];
        if (ev->is_frac)
            ev->step = frac_step(ev->at, steps);
        else
            ev->step = ev->at >= 18446744073709551616.0 ? UINT64_MAX
                     : ev->at > 0.0 ? (uint64_t)ev->at : 0;
    }
    /* Checked after resolving all: a fraction only has a step once
     * `steps` is known, and `steps` may come after the events. */
    for (size_t i = 1; i < tl->n; i++) {
        const tl_event *a = &tl->ev[i - 1], *b = &tl->ev[i];
        if (b->step >= a->step)
            continue;
        if (bad)
            *bad = i;
        char where[32];
        if (a->line > 0)
            snprintf(where, sizeof where, "line %d", a->line);
        else
            snprintf(where, sizeof where, "from --script");
        /* The usual way here is a run shortened (--steps, --set steps=)
         * below an event written as a step: say that, not just "order". */
        if (b->is_frac && !a->is_frac && a->step > steps)
            snprintf(err, errlen,
                     "event at %g%% is step %llu, before the one at step "
                     "%llu (%s): the run (steps = %llu) is shorter than "
                     "the timeline",
                     b->at * 100.0, (unsigned long long)b->step,
                     (unsigned long long)a->step, where,
                     (unsigned long long)steps);
        else
            snprintf(err, errlen,
                     "event at step %llu comes after one at step %llu (%s); "
                     "timeline events must be in step order",
                     (unsigned long long)b->step, (unsigned long long)a->step,
                     where);
        return -1;
    }
    return 0;
}

size_t timeline_first_at(const timeline *tl, uint64_t t)
{
    /* Lower bound by bisection: the events are in step order. */
    size_t lo = 0, hi = tl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tl->ev[mid].step < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- --script ---------------------------------------------------------- */

/* One parsed script item. */
typedef struct script_item {
    uint64_t step;
    int key;
} script_item;

/* Reads the item of script at [s, s+n) (column col).  Returns 0, or −1
 * with err naming the item and the column of what is wrong in it. */
static int script_item_parse(const char *s, size_t n, int col,
                             int (*is_key)(int c), script_item *it,
                             char *err, size_t errlen)
{
    size_t d = 0;
    uint64_t step = 0;
    /* quoted in errors: cut on a character boundary */
    int shown = (int)sanitize_clip(s, n, 32);
    while (d < n && s[d] >= '0' && s[d] <= '9') {
        unsigned dig = (unsigned)(s[d] - '0');
        /* 2^53: a step must survive the trip through tl_event.at */
        if (step > (9007199254740992ull - dig) / 10) {
            snprintf(err, errlen, "column %d: step too large in '%.*s'", col,
                     shown, s);
            return -1;
        }
        step = step * 10 + dig;
        d++;
    }
    if (d == 0 || (d < n && s[d] != ':')) {
        snprintf(err, errlen,
                 "column %d: bad step in '%.*s' (write STEP:KEY, e.g. 100:+)",
                 col, shown, s);
        return -1;
    }
    if (d == n) {
        snprintf(err, errlen,
                 "column %d: missing ':' after the step in '%.*s' (write "
                 "STEP:KEY, e.g. 100:+)", col + (int)d, shown, s);
        return -1;
    }
    const char *k = s + d + 1;
    size_t kn = n - d - 1;
    int kcol = col + (int)d + 1, key;
    if (kn == 0) {
        snprintf(err, errlen, "column %d: missing key after ':' in '%.*s'",
                 kcol, shown, s);
        return -1;
    }
    if (kn == 5 && memcmp(k, "space", 5) == 0) {
        key = ' ';
    } else if (kn == 3 && memcmp(k, "tab", 3) == 0) {
        key = '\t';
    } else if (kn == 1 && k[0] > ' ' && k[0] < 0x7F) {
        key = k[0];
    } else {
        snprintf(err, errlen,
                 "column %d: a key is one character, 'space' or 'tab', got "
                 "'%.*s'",
                 kcol, (int)sanitize_clip(k, kn, 32), k);
        return -1;
    }
    if (!is_key(key)) {
        if (key == ' ')
            snprintf(err, errlen,
                     "column %d: unknown key 'space' (see sgdscope(1) KEYS)",
                     kcol);
        else
            snprintf(err, errlen,
                     "column %d: key '%c' is unknown or not for scripts "
                     "(see sgdscope(1) KEYS)",
                     kcol, key);
        return -1;
    }
    it->step = step;
    it->key = key;
    return 0;
}

/* Inserts a key event after every event of step ≤ it->step. */
static void script_insert(timeline *tl, const script_item *it)
{
    size_t pos = timeline_first_at(tl, it->step + 1);
    tl_event *ev = &tl->ev[pos];
    memmove(ev + 1, ev, (tl->n - pos) * sizeof *ev);
    memset(ev, 0, sizeof *ev);
    ev->at = (double)it->step;
    ev->step = it->step;
    ev->kind = TL_KEY;
    ev->value = it->key;
    tl->n++;
}

int timeline_parse_script(timeline *tl, const char *script,
                          int (*is_key)(int c), char *err, size_t errlen)
{
    script_item it;
    size_t room = tl->n <= TL_MAX_EVENTS ? TL_MAX_EVENTS - tl->n : 0;
    /* Two passes, so a bad item leaves tl as it was: check, then insert. */
    for (int pass = 0; pass < 2; pass++) {
        size_t i = 0, count = 0;
        int col = 1;
        for (;;) {
            while (script[i] == ' ' || script[i] == '\t') {
                i++;
                col++;
            }
            if (!script[i])
                break;
            size_t n = strcspn(script + i, " \t");
            if (pass == 0) {
                if (script_item_parse(script + i, n, col, is_key, &it, err,
                                      errlen)) {
                    /* the message quotes the argument: keep it safe to
                     * print */
                    char raw[512];
                    snprintf(raw, sizeof raw, "%s", err);
                    sanitize_text(err, errlen, raw);
                    return -1;
                }
                if (count == room) {
                    snprintf(err, errlen,
                             "column %d: too many events (at most %d with "
                             "the scene's)", col, TL_MAX_EVENTS);
                    return -1;
                }
            } else {
                script_item_parse(script + i, n, col, is_key, &it, err,
                                  errlen);
                script_insert(tl, &it);
            }
            count++;
            /* Columns count characters; a non-ASCII byte is only ever
             * inside an item already rejected above. */
            i += n;
            col += (int)n;
        }
    }
    return 0;
}
