/* An in-process publish/subscribe message bus (as in robotics middleware or a desktop's
 * event bus): topics keep an array of their subscribers; each subscriber runs on its own
 * thread and drains a bounded inbox ring (mutex and condition variables). Publishing a
 * message (main thread) allocates the message and its payload, sets the message's
 * reference count to the topic's number of subscribers and pushes a pointer into each
 * subscriber's inbox; main keeps no reference. Each subscriber pops a message, reads it
 * and releases it; the release that brings the count to zero frees the payload and the
 * message, so both are allocated on main and freed on a subscriber thread. Messages
 * point at their topic. At the end main closes the inboxes, joins the threads and frees
 * the bus. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTOPICS 6
#define NSUBS 4
#define INBOX 32
#define MESSAGES 3000

struct topic {
    char name[24];
    struct subscriber **subs;
    int nsubs;
    long published;
};

struct message {
    int refs;
    struct topic *topic;
    size_t size;
    unsigned char *payload;
    long seq;
};

struct subscriber {
    struct bus *bus;
    int id;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t nonempty, nonfull;
    struct message **inbox;
    int head, count, closed;
    unsigned long digest;
    long received;
};

struct bus {
    struct topic **topics;
    struct subscriber **subscribers;
    pthread_mutex_t refs_lock;
};

static void message_release(struct bus *bus, struct message *m) {
    pthread_mutex_lock(&bus->refs_lock);
    int left = --m->refs;
    pthread_mutex_unlock(&bus->refs_lock);
    if (left == 0) {
        free(m->payload); // site: payload_freed
        free(m); // site: message_freed
    }
}

static void *subscriber_main(void *arg) {
    struct subscriber *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        while (s->count == 0 && !s->closed) pthread_cond_wait(&s->nonempty, &s->lock);
        if (s->count == 0) {
            pthread_mutex_unlock(&s->lock);
            return NULL;
        }
        struct message *m = s->inbox[s->head];
        s->inbox[s->head] = NULL;
        s->head = (s->head + 1) % INBOX;
        s->count--;
        pthread_cond_signal(&s->nonfull);
        pthread_mutex_unlock(&s->lock);
        unsigned long d = (unsigned long)m->seq;
        for (size_t i = 0; i < m->size; i++) d = d * 131 + m->payload[i];
        s->digest ^= d + (unsigned long)m->topic->name[6];
        s->received++;
        message_release(s->bus, m);
    }
}

static void deliver(struct subscriber *s, struct message *m) {
    pthread_mutex_lock(&s->lock);
    while (s->count == INBOX) pthread_cond_wait(&s->nonfull, &s->lock);
    s->inbox[(s->head + s->count) % INBOX] = m;
    s->count++;
    pthread_cond_signal(&s->nonempty);
    pthread_mutex_unlock(&s->lock);
}

static void publish(struct topic *t, long seq) {
    struct message *m = malloc(sizeof *m); // site: message
    m->topic = t;
    m->seq = seq;
    m->size = 32 + (size_t)(seq * 29 % 200);
    m->payload = malloc(m->size); // site: payload
    for (size_t i = 0; i < m->size; i++) m->payload[i] = (unsigned char)(seq + (long)i * 3);
    m->refs = t->nsubs;
    t->published++;
    for (int i = 0; i < t->nsubs; i++) deliver(t->subs[i], m);
}

int main(void) {
    struct bus *bus = malloc(sizeof *bus); // site: bus
    pthread_mutex_init(&bus->refs_lock, NULL);
    bus->subscribers = calloc(NSUBS, sizeof *bus->subscribers); // site: subscribers
    for (int i = 0; i < NSUBS; i++) {
        struct subscriber *s = calloc(1, sizeof *s); // site: subscriber
        s->bus = bus;
        s->id = i;
        pthread_mutex_init(&s->lock, NULL);
        pthread_cond_init(&s->nonempty, NULL);
        pthread_cond_init(&s->nonfull, NULL);
        s->inbox = calloc(INBOX, sizeof *s->inbox); // site: inbox
        bus->subscribers[i] = s;
    }
    bus->topics = calloc(NTOPICS, sizeof *bus->topics); // site: topics
    for (int t = 0; t < NTOPICS; t++) {
        struct topic *topic = calloc(1, sizeof *topic); // site: topic
        snprintf(topic->name, sizeof topic->name, "/robot/%c/state", 'a' + t);
        topic->subs = calloc(NSUBS, sizeof *topic->subs); // site: sublist
        for (int i = 0; i < NSUBS; i++)
            if (i == t % NSUBS || (t + i) % 3 == 0) topic->subs[topic->nsubs++] = bus->subscribers[i];
        bus->topics[t] = topic;
    }
    for (int i = 0; i < NSUBS; i++) pthread_create(&bus->subscribers[i]->thread, NULL, subscriber_main, bus->subscribers[i]);
    unsigned seed = 8;
    for (long seq = 0; seq < MESSAGES; seq++) {
        seed = seed * 1103515245u + 12345u;
        publish(bus->topics[(seed >> 9) % NTOPICS], seq);
    }
    unsigned long digest = 0;
    long received = 0;
    for (int i = 0; i < NSUBS; i++) {
        struct subscriber *s = bus->subscribers[i];
        pthread_mutex_lock(&s->lock);
        s->closed = 1;
        pthread_cond_signal(&s->nonempty);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
        digest ^= s->digest;
        received += s->received;
    }
    long published = 0;
    for (int t = 0; t < NTOPICS; t++) {
        published += bus->topics[t]->published;
        free(bus->topics[t]->subs);
        free(bus->topics[t]);
    }
    free(bus->topics);
    for (int i = 0; i < NSUBS; i++) {
        struct subscriber *s = bus->subscribers[i];
        pthread_cond_destroy(&s->nonfull);
        pthread_cond_destroy(&s->nonempty);
        pthread_mutex_destroy(&s->lock);
        free(s->inbox);
        free(s);
    }
    free(bus->subscribers);
    pthread_mutex_destroy(&bus->refs_lock);
    free(bus);
    printf("%ld %ld %lx\n", published, received, digest);
    return 0;
}
