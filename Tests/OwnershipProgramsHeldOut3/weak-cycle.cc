// A C++ chat server's sessions and connections, with the session <-> connection cycle
// broken by std::weak_ptr: a session (std::make_shared) holds its connection strongly;
// the connection (new, then wrapped in a std::shared_ptr) refers back to its session with
// a std::weak_ptr and locks it when data arrives. The server (new) holds every session
// and every connection in vectors of shared_ptr (reserved up front); sessions that join
// the lobby are also held by the lobby's vector. Closing a session drops its connection
// from the poll set and the session from the server; a closed session still in the lobby
// lives on until the lobby's next sweep drops it. At the end the server is deleted.
// No scan.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

struct Server;
struct Session;

struct Connection {
    int fd;
    Server *server;
    std::weak_ptr<Session> owner;
    long bytes = 0;
    Connection(int f, Server *s) : fd(f), server(s) {}
};

struct Session {
    int id;
    bool closed = false;
    Server *server;
    std::shared_ptr<Connection> conn;
    std::vector<char> inbox;
    size_t inbox_used = 0;
    Session(int i, Server *s) : id(i), server(s), inbox(256 + (size_t)(i % 7) * 64) {} // site: inbox
};

struct Server {
    std::vector<std::shared_ptr<Session>> sessions;
    std::vector<std::shared_ptr<Connection>> pollset;
    std::vector<std::shared_ptr<Session>> lobby;
    long delivered = 0;
};

__attribute__((noinline)) static std::shared_ptr<Connection> accept_connection(Server *srv, int fd) {
    Connection *raw = new Connection(fd, srv); // site: connection
    return std::shared_ptr<Connection>(raw); // site: connection_ctrl
}

__attribute__((noinline)) static void open_session(Server *srv, int id) {
    auto session = std::make_shared<Session>(id, srv); // site: session
    session->conn = accept_connection(srv, 1000 + id);
    session->conn->owner = session;
    srv->pollset.push_back(session->conn);
    if (id % 3 == 0) srv->lobby.push_back(session);
    srv->sessions.push_back(std::move(session));
}

__attribute__((noinline)) static void poll_once(Server *srv, unsigned tick) {
    for (auto &conn : srv->pollset) {
        if ((unsigned)conn->fd % 5 != tick % 5) continue;
        if (auto session = conn->owner.lock()) {
            size_t n = 16 + (size_t)conn->fd % 32;
            if (session->inbox_used + n > session->inbox.size()) session->inbox_used = 0;
            for (size_t k = 0; k < n; k++) session->inbox[session->inbox_used++] = (char)(k + tick);
            conn->bytes += (long)n;
            srv->delivered += (long)n;
        }
    }
}

__attribute__((noinline)) static void close_session(Server *srv, size_t index) {
    std::shared_ptr<Session> &session = srv->sessions[index];
    session->closed = true;
    auto found = std::find(srv->pollset.begin(), srv->pollset.end(), session->conn);
    if (found != srv->pollset.end()) srv->pollset.erase(found);
    srv->sessions.erase(srv->sessions.begin() + (long)index);
}

__attribute__((noinline)) static void sweep_lobby(Server *srv) {
    srv->lobby.erase(std::remove_if(srv->lobby.begin(), srv->lobby.end(),
                                    [](const std::shared_ptr<Session> &s) { return s->closed; }),
                     srv->lobby.end());
}

int main() {
    Server *srv = new Server; // site: server
    srv->sessions.reserve(1200); // site: sessions
    srv->pollset.reserve(1200); // site: pollset
    srv->lobby.reserve(400); // site: lobby
    int next_id = 0;
    for (; next_id < 600; next_id++) open_session(srv, next_id);
    unsigned seed = 12;
    long closed = 0;
    for (unsigned tick = 0; tick < 60; tick++) {
        poll_once(srv, tick);
        for (int k = 0; k < 6 && !srv->sessions.empty(); k++) {
            seed = seed * 1103515245u + 12345u;
            close_session(srv, (seed >> 8) % srv->sessions.size());
            closed++;
        }
        if (tick % 10 == 9) sweep_lobby(srv);
        for (int k = 0; k < 4; k++) open_session(srv, next_id++);
    }
    long bytes = 0;
    for (auto &conn : srv->pollset) bytes += conn->bytes;
    std::printf("%ld %ld %ld %zu %zu\n", srv->delivered, bytes, closed, srv->sessions.size(), srv->lobby.size());
    delete srv;
    return 0;
}
