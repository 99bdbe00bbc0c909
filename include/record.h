/* record.h — recording a session as an asciicast v2 file: one "o" event
 * per drawn frame and an "m" marker at every η change, decay, dynamics
 * switch, rewind, freeze and caption (a run's markers name the run when
 * the session has several: "decay50 step 5000: decay ...").  Used by the terminal front end (real time)
 * and by headless recording (synthetic time); no terminal code. */
#ifndef SGDSCOPE_RECORD_H
#define SGDSCOPE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "canvas.h"
#include "cast.h"

/* What has been marked of one run of the session. */
typedef struct recorder_seen {
    const run *r;        /* the run whose events were seen (a new run in
                            the slot — a reset, a fork, another scene —
                            starts the count afresh) */
    size_t log;          /* event-log entries already marked */
    size_t decays;       /* scheduled decays already marked */
    int warm_end;
    int frozen;          /* its freeze was marked */
} recorder_seen;

typedef struct recorder {
    cast k;
    canvas c;            /* frames are laid out at the recording's size */
    recorder_seen run[SESSION_MAX_RUNS]; /* by the session's run index */
    uint64_t seen_caption; /* the app's caption_seq last marked */
    int seen_end;
} recorder;

/* Opens path for a width × height recording in glyph tier `tier`
 * (temporary file, renamed on close).  Returns 0, or −1 with a message in
 * err. */
int recorder_open(recorder *rc, const char *path, int width, int height,
                  glyph_tier tier, const char *title, int color, char *err,
                  size_t errlen);
/* Markers for what changed since the last frame, then the frame at time t
 * seconds: the view drawn at the recording's own size (so a recording's
 * layout never depends on the terminal it was made in).  Returns 0 or −1. */
int recorder_frame(recorder *rc, double t, const app *a);
/* Finishes the file (rename into place).  Returns 0 or −1. */
int recorder_close(recorder *rc);
/* Drops the recording, leaving nothing behind. */
void recorder_abort(recorder *rc);

/* Records a whole run without a terminal: frames at `fps` with synthetic
 * time (also the app's clock), each frame stepping a->spf steps, until
 * step `steps` or the timeline's `end`; captions timed in seconds and
 * pauses hold the picture for their time.  The last frame is the state
 * at `steps` or at the end (what --snapshot shows).  Returns
 * 0; −1 if the file cannot be created or is refused (outfile.h; nothing
 * ran); 1 if writing failed on the way or a terminating signal
 * (exitsig.h) stopped it: nothing is left behind and path keeps what it
 * held.  A message is left in err. */
int recorder_headless(app *a, const char *path, int width, int height,
                      glyph_tier tier, int color, int fps, uint64_t steps,
                      char *err, size_t errlen);

#endif
