/* Interpreter environments with a hand-written reference count: a frame holds a counted
 * reference to its parent frame and owns a calloc'ed variable array (names inline,
 * integer values). Closures hold a counted reference to the frame they capture and own
 * a copy of their code text; a calloc'ed closure table owns the closures. Calls make a
 * frame whose parent is the called closure's frame; some calls define new closures
 * capturing the call frame. Releasing the last reference to a frame releases its
 * parent. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct var { char name[16]; long value; };
struct frame { int refs; struct frame *parent; int nvars; struct var *vars; int depth; };
struct closure { struct frame *env; char *code; };

static struct frame *frame_new(struct frame *parent, int nvars) {
    struct frame *f = malloc(sizeof *f); // site: frame
    f->refs = 1;
    f->parent = parent;
    if (parent) parent->refs++;
    f->depth = parent ? parent->depth + 1 : 0;
    f->nvars = nvars;
    f->vars = calloc(nvars, sizeof *f->vars); // site: vars
    for (int i = 0; i < nvars; i++) {
        snprintf(f->vars[i].name, sizeof f->vars[i].name, "v%d", i);
        f->vars[i].value = (long)(f->depth * 10 + i);
    }
    return f;
}

static int frames_freed;

static void frame_release(struct frame *f) {
    while (f && --f->refs == 0) {
        struct frame *parent = f->parent;
        free(f->vars);
        free(f);
        frames_freed++;
        f = parent;
    }
}

static struct closure *closure_new(struct frame *env, const char *code) {
    struct closure *c = malloc(sizeof *c); // site: closure
    c->env = env;
    env->refs++;
    c->code = strdup(code); // site: closure_code
    return c;
}

static long lookup(struct frame *f, int depth_up, int slot) {
    while (depth_up-- > 0 && f->parent) f = f->parent;
    return slot < f->nvars ? f->vars[slot].value : 0;
}

int main(void) {
    struct frame *global = frame_new(NULL, 6);
    struct closure **table = calloc(16, sizeof *table); // site: closure_table
    int nclos = 0;
    table[nclos++] = closure_new(global, "fn(a) { a + v1 }");
    table[nclos++] = closure_new(global, "fn(b) { make_adder(b) }");
    long acc = 0;
    for (int call = 0; call < 12; call++) {
        struct closure *callee = table[(call * 5) % nclos];
        struct frame *f = frame_new(callee->env, 3 + call % 3);
        acc += lookup(f, call % 3, 1) + f->vars[2].value;
        if (call % 2 == 1 && nclos < 16) table[nclos++] = closure_new(f, "fn(x) { x * outer }");
        frame_release(f);
    }
    int shared = 0;
    for (int i = 0; i < nclos; i++) if (table[i]->env->refs > 1) shared++;
    printf("closures %d acc %ld global refs %d shared envs %d freed so far %d\n",
           nclos, acc, global->refs, shared, frames_freed);
    for (int i = 0; i < nclos; i++) {
        frame_release(table[i]->env);
        free(table[i]->code);
        free(table[i]);
    }
    free(table);
    frame_release(global);
    printf("frames freed %d\n", frames_freed);
    return 0;
}
