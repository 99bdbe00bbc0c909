/* outfile.h — writing an output file without clobbering anything: every
 * file sgdscope writes (--record, --csv FILE, the `e` export) goes
 * through here, so they all follow one set of rules (sgdscope(1), FILES):
 *
 *   PATH absent            created, with 0666 & ~umask.
 *   a regular file         replaced in one rename: the new file is written
 *                          under a temporary name in the same directory,
 *                          then renamed over it, keeping its permission
 *                          bits (and owner and group, where the process
 *                          may set them).  Readers see the old file or
 *                          the whole new one, never a part.
 *   a symbolic link        followed (a chain of them too): the file is
 *                          written where the link points, and created
 *                          there if the link dangles; the link stays.
 *   a regular file with    refused: a rename would split the names (the
 *   more than one link     others keeping the old data) and writing in
 *                          place could leave it half written.
 *   a directory, FIFO,     refused, before anything runs.
 *   socket or device
 *
 * With OUTFILE_STREAM (--csv) a character device or a FIFO is a stream,
 * not a file: it is written in place, never replaced (/dev/null,
 * /dev/stdout on a terminal or a pipe, a FIFO someone reads); a FIFO
 * with no reader is refused rather than waited for.
 *
 * Temporary files are kept in one process-wide registry, so that an
 * error path, exit() (atexit) or a terminating signal (exitsig) can
 * remove them: nothing named PATH.XXXXXX outlives the process.
 *
 * No curses and no allocation after outfile_open; the registry holds at
 * most OUTFILE_SLOTS temporaries at once. */
#ifndef SGDSCOPE_OUTFILE_H
#define SGDSCOPE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define OUTFILE_SLOTS 16
#define OUTFILE_PATH_MAX 4096

/* outfile_open flags. */
enum {
    OUTFILE_STREAM = 1 /* a character device or FIFO is written in place */
};

typedef struct outfile {
    FILE *f;        /* write here; NULL when not open */
    char *path;     /* the path as the caller gave it (for messages) */
    char *target;   /* the file the rename replaces (symlinks resolved) */
    int slot;       /* 1 + the temporary's registry slot; 0 for none (a
                       stream written in place; a zeroed outfile holds
                       nothing, so discarding it is harmless) */
    int err;        /* errno of the first failed write seen, or 0 */
} outfile;

/* Opens an output for path following the rules above.  flags is 0 or
 * OUTFILE_STREAM.  Returns 0 with o->f ready for writing, or −1 with a
 * message naming path in err (when not NULL), such as "cannot write
 * 'x.cast': it is a FIFO (only a regular file is written)" or "cannot
 * write 'd/x.cast': No such file or directory"; nothing is created then,
 * and *o needs no cleanup (outfile_discard on it is harmless).  Never
 * blocks (a FIFO is never opened without O_NONBLOCK). */
int outfile_open(outfile *o, const char *path, int flags, char *err,
                 size_t errlen);

/* 0 while every write so far succeeded; −1 once the stream has an error
 * (ferror), remembering that write's errno for the message of
 * outfile_commit.  Cheap: writers call it after each frame or row to
 * stop at the first failed write. */
int outfile_check(outfile *o);

/* Finishes the file: fflush, ferror, fsync, fclose, then the rename over
 * the target (re-checked first: never over something that became a
 * non-regular file meanwhile).  Returns 0, or −1 with "cannot write
 * 'PATH': REASON" in err, the temporary removed and the target left as
 * it was; errno is REASON's.  *o is released either way. */
int outfile_commit(outfile *o, char *err, size_t errlen);

/* Drops the output: closes it and removes the temporary (the target is
 * untouched).  Safe on an output that failed to open, or was already
 * committed or discarded. */
void outfile_discard(outfile *o);

/* Removes every registered temporary file.  Async-signal-safe (only
 * unlink): the signal handlers' last resort, and run at exit.  The
 * outputs themselves are left open; the process is about to end. */
void outfile_unlink_all(void);

/* Forgets the registered temporaries without removing them: a forked
 * child (the map's sweep) must never remove its parent's files. */
void outfile_forget_all(void);

/* How many temporaries are registered now (tests). */
int outfile_pending(void);

#endif
