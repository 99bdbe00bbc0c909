/* timeline.h — events at given steps: what turns a scene into a lesson
 * that plays itself, and what --script presses.
 *
 * In a scene file, one event per line, after the fields or among them:
 *
 *   at 10000: decay              # η ÷ the scene's decay factor
 *   at 50%: eta 0.1              # set η (a step or N% of `steps`)
 *   at 20000: scale 0.5          # multiply η
 *   at 30000: dynamics gd        # sgd | gd | labelnoise | sde | flow
 *   at 30000: batch 4
 *   at 40000: pause              # the interactive view pauses here
 *   at 40000: pause 5s           # ... for 5 s, then goes on by itself
 *   at 0: caption 600 "Watch θ jump across the valley"   # shown 600 steps
 *   at 0: caption 6s "Watch θ"   # shown 6 s; the next event waits for it
 *   at 0: caption key "Ready?"   # the run waits for any key
 *   at 5000: key +               # press a key of the key table
 *   at 60000: end "That's all"   # the lesson is over: the run stops
 *
 * Events must be in non-decreasing step order (a file that goes back in
 * time is an error naming the line); events at the same step fire in file
 * order.  Every event is applied at a step boundary, before that step is
 * taken, through the same functions the keys use, so it is logged and
 * reproducible.  No terminal code. */
#ifndef SGDSCOPE_TIMELINE_H
#define SGDSCOPE_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#define TL_MAX_EVENTS 128
#define TL_TEXT_MAX 160
#define TL_KIND_COUNT 9 /* kinds in tl_kind, for iterating names */

typedef enum {
    TL_DECAY,     /* no argument */
    TL_ETA,       /* value = new η > 0 */
    TL_SCALE,     /* value = factor > 0 */
    TL_DYNAMICS,  /* value = dyn_kind */
    TL_BATCH,     /* value = batch size ≥ 1 */
    TL_PAUSE,     /* value = seconds (unit TL_SECONDS), or 0 (TL_STEPS):
                     until space live, a default hold in recordings */
    TL_CAPTION,   /* value = duration in `unit`, text */
    TL_KEY,       /* value = the key character (from the key table) */
    TL_END        /* the lesson is over; text = optional closing caption */
} tl_kind;

/* What a duration counts: steps of the run, seconds of the front end's
 * clock (synthetic in recordings), or "until a key" (value unused). */
typedef enum { TL_STEPS, TL_SECONDS, TL_UNTIL_KEY } tl_unit;

typedef struct tl_event {
    double at;       /* a step, or a fraction of `steps` when is_frac */
    int is_frac;
    uint64_t step;   /* resolved by timeline_resolve */
    tl_kind kind;
    double value;
    tl_unit unit;    /* of value, for caption and pause */
    char text[TL_TEXT_MAX]; /* caption or end text (UTF-8, no quotes) */
    int line;        /* where it was written (0: from --script) */
    int col;         /* column of STEP on that line (1-based) */
    int arg_col;     /* column of the argument (the key of `key`), or
                        of the kind when it takes none */
} tl_event;

typedef struct timeline {
    size_t n;
    tl_event ev[TL_MAX_EVENTS];
} timeline;

/* Resolves fractions against the run length `steps` into ev[i].step.
 * Returns 0, or −1 with a message if the events go back in time (the
 * index of the offending event in *bad). */
int timeline_resolve(timeline *tl, uint64_t steps, size_t *bad, char *err,
                     size_t errlen);

/* Index of the first event with step ≥ t, or tl->n. */
size_t timeline_first_at(const timeline *tl, uint64_t t);

/* Name of an event kind as written in scenes ("decay", "eta", ...);
 * NULL for k >= TL_KIND_COUNT, so it can list the names. */
const char *timeline_kind_name(tl_kind k);

/* Parses a --script string "STEP:KEY STEP:KEY ..." (KEY one character of
 * the key table, or "space") and appends TL_KEY events to tl, keeping the
 * timeline in step order (a script event goes after timeline events of
 * the same step).  is_key(c) says whether c is bound.  Returns 0, or −1
 * with a message naming the bad item and its column (1-based), quoting
 * the item sanitized (sanitize.h).
 * STEP is an integer step; tl must already be resolved (its ev[].step
 * set).  Items may come in any order: each is placed by its step, items
 * of one step in script order.  On error tl is unchanged. */
int timeline_parse_script(timeline *tl, const char *script,
                          int (*is_key)(int c), char *err, size_t errlen);

#endif
