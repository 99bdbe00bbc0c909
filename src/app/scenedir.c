/* scenedir.c — finding and listing scenes; see scenedir.h. */
#include "scenedir.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scene.h"

#ifndef SGDSCOPE_DATADIR
#define SGDSCOPE_DATADIR "/usr/local/share/sgdscope"
#endif

void scenedir_search_path(const char *dirs[3], size_t *n)
{
    dirs[0] = getenv("SGDSCOPE_SCENES");
    dirs[1] = "scenes";
    dirs[2] = SGDSCOPE_DATADIR "/scenes";
    *n = 3;
}

static int readable(const char *p)
{
    return access(p, R_OK) == 0;
}

int scenedir_find(const char *arg, char *out, size_t outlen)
{
    if (strchr(arg, '/') || readable(arg)) {
        snprintf(out, outlen, "%s", arg);
        return readable(arg) ? 0 : -1;
    }
    const char *dirs[3];
    size_t nd;
    scenedir_search_path(dirs, &nd);
    size_t al = strlen(arg);
    int has_ext = al > 6 && strcmp(arg + al - 6, ".scene") == 0;
    for (size_t i = 0; i < nd; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(out, outlen, "%s/%s%s", dirs[i], arg,
                 has_ext ? "" : ".scene");
        if (readable(out))
            return 0;
    }
    snprintf(out, outlen, "%s", arg);
    return -1;
}

const char *scenedir_first(void)
{
    const char *dirs[3];
    size_t nd;
    scenedir_search_path(dirs, &nd);
    for (size_t i = 0; i < nd; i++)
        if (dirs[i] && *dirs[i] && readable(dirs[i]))
            return dirs[i];
    return NULL;
}

#define LIST_MAX 256

typedef struct entry {
    char name[SCENE_NAME_MAX];
    char title[SCENE_NAME_MAX];
} entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

size_t scenedir_list(FILE *out)
{
    static entry list[LIST_MAX];
    size_t n = 0;
    const char *dirs[3];
    size_t nd;
    scenedir_search_path(dirs, &nd);
    for (size_t i = 0; i < nd; i++) {
        DIR *d = dirs[i] && *dirs[i] ? opendir(dirs[i]) : NULL;
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d)) && n < LIST_MAX) {
            size_t l = strlen(de->d_name);
            if (l <= 6 || strcmp(de->d_name + l - 6, ".scene") != 0)
                continue;
            char name[SCENE_NAME_MAX];
            snprintf(name, sizeof name, "%.*s", (int)(l - 6), de->d_name);
            int dup = 0;
            for (size_t k = 0; k < n && !dup; k++)
                dup = strcmp(list[k].name, name) == 0;
            if (dup)
                continue; /* an earlier directory shadows this one */
            char path[SCENE_PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dirs[i], de->d_name);
            scene s;
            scene_err e;
            scene_init(&s);
            snprintf(list[n].name, sizeof list[n].name, "%s", name);
            if (scene_load_file(&s, path, &e) == 0)
                snprintf(list[n].title, sizeof list[n].title, "%s",
                         s.title[0] ? s.title : "(no title)");
            else
                snprintf(list[n].title, sizeof list[n].title,
                         "(does not parse: line %d: %.80s)", e.line, e.msg);
            n++;
        }
        closedir(d);
    }
    qsort(list, n, sizeof list[0], cmp_entry);
    int w = 0;
    for (size_t k = 0; k < n; k++)
        if ((int)strlen(list[k].name) > w)
            w = (int)strlen(list[k].name);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%-*s  %s\n", w, list[k].name, list[k].title);
    return n;
}
