/* prompt.h — the `:` command line (private to src/app): typing into it
 * and running what was typed (app_command in app.h). */
#ifndef SGDSCOPE_PROMPT_H
#define SGDSCOPE_PROMPT_H

#include "app.h"

/* One key while the prompt is open: Enter runs the line (app_command),
 * Esc closes it, Backspace edits (and leaves on an empty line, as in
 * vi), printable ASCII is typed. */
void prompt_key(app *a, int key);

#endif
