/* An observer registry (publish/subscribe): the application owns an array of subjects
 * (topics) and an array of observers (subscribers). A subject owns its name and its list
 * of subscribers, an array of pointers grown with realloc; the list's entries point at
 * observers owned by the application, not by the subject. An observer owns a small log
 * ring of the values it received, and remembers the subject that notified it last.
 * Mid-way some observers are destroyed (unsubscribed from every subject first) and
 * replaced by new ones. Teardown: subjects (name, list, subject), then observers (log,
 * observer), then the two arrays, then the application. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBJECTS 40
#define OBSERVERS 300
#define LOG 32

struct subject;

struct observer {
    int id;
    long received;
    long *log;
    struct subject *last_from;
};

struct subject {
    char *name;
    struct observer **subscribers;
    int count, capacity;
};

struct app {
    struct subject **subjects;
    struct observer **observers;
};

static struct subject *subject_new(int i) {
    struct subject *s = malloc(sizeof *s); // site: subject
    char name[32];
    snprintf(name, sizeof name, "sensor/%02d/temperature", i);
    s->name = strdup(name); // site: subject_name
    s->capacity = 4;
    s->count = 0;
    s->subscribers = malloc(s->capacity * sizeof *s->subscribers); // site: subscribers
    return s;
}

static void subscribe(struct subject *s, struct observer *o) {
    for (int i = 0; i < s->count; i++)
        if (s->subscribers[i] == o) return;
    if (s->count == s->capacity) {
        s->capacity *= 2;
        s->subscribers = realloc(s->subscribers, s->capacity * sizeof *s->subscribers); // site: subscribers_grown
    }
    s->subscribers[s->count++] = o;
}

static void unsubscribe(struct subject *s, struct observer *o) {
    for (int i = 0; i < s->count; i++) {
        if (s->subscribers[i] == o) {
            memmove(&s->subscribers[i], &s->subscribers[i + 1], (s->count - i - 1) * sizeof *s->subscribers);
            s->count--;
            return;
        }
    }
}

static struct observer *observer_new(int id) {
    struct observer *o = malloc(sizeof *o); // site: observer
    o->id = id;
    o->received = 0;
    o->log = calloc(LOG, sizeof *o->log); // site: log
    o->last_from = NULL;
    return o;
}

static void observer_free(struct observer *o) {
    free(o->log);
    free(o);
}

static void notify(struct subject *s, long value) {
    for (int i = 0; i < s->count; i++) {
        struct observer *o = s->subscribers[i];
        o->log[o->received++ % LOG] = value;
        o->last_from = s;
    }
}

int main(void) {
    struct app *app = malloc(sizeof *app); // site: app
    app->subjects = malloc(SUBJECTS * sizeof *app->subjects); // site: subjects
    app->observers = malloc(OBSERVERS * sizeof *app->observers); // site: observers
    srand(5);
    for (int i = 0; i < SUBJECTS; i++) app->subjects[i] = subject_new(i);
    for (int i = 0; i < OBSERVERS; i++) {
        app->observers[i] = observer_new(i);
        for (int k = 0; k < 1 + i % 6; k++) subscribe(app->subjects[rand() % SUBJECTS], app->observers[i]);
    }
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < SUBJECTS; i++) notify(app->subjects[i], round * 100 + i);
        if (round % 10 == 9) {
            /* replace a tenth of the observers */
            for (int n = 0; n < OBSERVERS / 10; n++) {
                int victim = rand() % OBSERVERS;
                for (int i = 0; i < SUBJECTS; i++) unsubscribe(app->subjects[i], app->observers[victim]);
                observer_free(app->observers[victim]);
                app->observers[victim] = observer_new(1000 * round + n);
                for (int k = 0; k < 3; k++) subscribe(app->subjects[rand() % SUBJECTS], app->observers[victim]);
            }
        }
    }
    long total = 0;
    int named = 0;
    for (int i = 0; i < OBSERVERS; i++) {
        total += app->observers[i]->received;
        if (app->observers[i]->last_from) named += (int)strlen(app->observers[i]->last_from->name);
    }
    for (int i = 0; i < SUBJECTS; i++) {
        free(app->subjects[i]->name);
        free(app->subjects[i]->subscribers);
        free(app->subjects[i]);
    }
    for (int i = 0; i < OBSERVERS; i++) observer_free(app->observers[i]);
    free(app->observers);
    free(app->subjects);
    free(app);
    printf("%ld %d\n", total, named);
    return 0;
}
