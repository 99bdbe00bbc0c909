/* verdict.h — the one-word state of a run that the screen, the CSV and the
 * JSON summary print: bouncing, converging, converged, erratic, diverged.
 * Each word is a documented rule on computed quantities (see verdict.c and
 * sgdscope(1), "VERDICTS"), never a guess of the view. */
#ifndef SGDSCOPE_VERDICT_H
#define SGDSCOPE_VERDICT_H

typedef enum verdict_kind {
    VERDICT_BOUNCING,   /* the iterate keeps crossing the valley while the
                           loss is held in a band away from 0 */
    VERDICT_CONVERGING, /* the loss falls through the decades */
    VERDICT_CONVERGED,  /* the loss sits at its floor (relative to the
                           initial loss and to rounding) */
    VERDICT_ERRATIC,    /* neither held nor falling: no stable bounce */
    VERDICT_DIVERGED,   /* the run blew up and is frozen */
    VERDICT_COUNT
} verdict_kind;

/* The verdict's word, exactly as the CSV and the summary print it. */
const char *verdict_name(verdict_kind v);

#endif
