/* Lexer output as a growable token vector: a boxed lexer owns an array of token structs
 * (inline kind, position and text pointer), calloc'ed for 4 and doubled by `realloc`
 * (new tail zeroed). Identifier, number and string tokens own a copy of their lexeme;
 * punctuation tokens have no text. Three source lines are lexed into one vector, which
 * is then scanned and freed. No scan. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { IDENT, NUMBER, STRING, PUNCT };
struct token { enum kind kind; int pos; char *text; };
struct lexer { struct token *toks; size_t n, cap; int grows; };

static struct token *push(struct lexer *lx) {
    if (lx->n == lx->cap) {
        size_t cap = lx->cap * 2;
        lx->toks = realloc(lx->toks, cap * sizeof *lx->toks); // site: toks_grown
        memset(lx->toks + lx->cap, 0, (cap - lx->cap) * sizeof *lx->toks);
        lx->cap = cap;
        lx->grows++;
    }
    return &lx->toks[lx->n++];
}

static void lex(struct lexer *lx, const char *src) {
    size_t i = 0, len = strlen(src);
    while (i < len) {
        if (isspace((unsigned char)src[i])) { i++; continue; }
        size_t start = i;
        enum kind k;
        if (isalpha((unsigned char)src[i]) || src[i] == '_') {
            while (i < len && (isalnum((unsigned char)src[i]) || src[i] == '_')) i++;
            k = IDENT;
        } else if (isdigit((unsigned char)src[i])) {
            while (i < len && isdigit((unsigned char)src[i])) i++;
            k = NUMBER;
        } else if (src[i] == '"') {
            i++;
            while (i < len && src[i] != '"') i++;
            i++;
            k = STRING;
        } else {
            i++;
            k = PUNCT;
        }
        struct token *t = push(lx);
        t->kind = k;
        t->pos = (int)start;
        if (k != PUNCT) t->text = strndup(src + start, i - start); // site: tok_text
    }
}

int main(void) {
    struct lexer *lx = malloc(sizeof *lx); // site: lexer
    lx->cap = 4;
    lx->n = 0;
    lx->grows = 0;
    lx->toks = calloc(lx->cap, sizeof *lx->toks); // site: toks
    lex(lx, "let total = price * 12 + tax(\"VAT\", 20);");
    lex(lx, "if total > limit_99 { warn(\"over budget\"); }");
    lex(lx, "for item in cart.items { sum += item.cost * 3; }");
    int counts[4] = {0, 0, 0, 0};
    size_t chars = 0;
    for (size_t i = 0; i < lx->n; i++) {
        counts[lx->toks[i].kind]++;
        if (lx->toks[i].text) chars += strlen(lx->toks[i].text);
    }
    printf("tokens %zu cap %zu grows %d ident %d number %d string %d punct %d chars %zu\n",
           lx->n, lx->cap, lx->grows, counts[IDENT], counts[NUMBER], counts[STRING], counts[PUNCT], chars);
    for (size_t i = 0; i < lx->n; i++) free(lx->toks[i].text);
    free(lx->toks);
    free(lx);
    return 0;
}
