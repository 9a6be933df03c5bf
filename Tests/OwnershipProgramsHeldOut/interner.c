/* A string interner: an interner struct owns a pointer array (grown by allocating a new one
 * and freeing the old), which owns the interned strings. Tokens of a parsed text (heap
 * structs, held by a global array) point at interned strings they do not own: many tokens
 * share one string's address, none frees it. A scan runs while tokens live. Tokens are
 * freed first, then the strings, then the array, then the interner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct interner {
    char **strings;
    size_t count, capacity;
};

struct token {
    const char *text;
    long position;
};

static struct token *tokens[5000];

__attribute__((noinline)) static struct interner *interner_new(void) {
    struct interner *in = malloc(sizeof *in); // site: interner
    in->capacity = 16;
    in->count = 0;
    in->strings = malloc(in->capacity * sizeof *in->strings); // site: strings
    return in;
}

__attribute__((noinline)) static const char *intern(struct interner *in, const char *text) {
    for (size_t i = 0; i < in->count; i++)
        if (strcmp(in->strings[i], text) == 0) return in->strings[i];
    if (in->count == in->capacity) {
        char **bigger = malloc(2 * in->capacity * sizeof *bigger); // site: strings_grown
        memcpy(bigger, in->strings, in->count * sizeof *bigger);
        free(in->strings);
        in->strings = bigger;
        in->capacity *= 2;
    }
    return in->strings[in->count++] = strdup(text); // site: text
}

int main(void) {
    static const char *words[] = {"let", "x", "=", "y", "+", "1", ";", "if", "(", ")", "{", "}",
                                  "return", "while", "fn", "struct", "z", "w", "0", "2"};
    struct interner *in = interner_new();
    char name[24];
    srand(23);
    for (int i = 0; i < 5000; i++) {
        int w = rand() % 60;
        if (w < 20) snprintf(name, sizeof name, "%s", words[w]);
        else snprintf(name, sizeof name, "id%d", w);
        tokens[i] = malloc(sizeof(struct token)); // site: token
        tokens[i]->text = intern(in, name);
        tokens[i]->position = i;
    }
    scan_now();
    long length = 0;
    for (int i = 0; i < 5000; i++) {
        length += (long)strlen(tokens[i]->text);
        free(tokens[i]);
    }
    for (size_t i = 0; i < in->count; i++) free(in->strings[i]);
    free(in->strings);
    free(in);
    printf("%ld\n", length);
    return 0;
}
