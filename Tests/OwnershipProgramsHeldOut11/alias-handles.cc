// C++ configuration records handed out through aliasing std::shared_ptrs: records are
// std::make_shared (control block and Record in one block), each with four Fields
// inline, every field owning a long text (heap allocated by assign; rewritten in place
// by updates at a second line). A reserved table vector holds the current record per
// slot; a reserved handle vector holds std::shared_ptr<Field> built with the aliasing
// constructor (shared ownership of the whole record, pointer to one field inside it).
// Replacing a table slot leaves the old record alive while handles point into it; the
// oldest handles are dropped in batches (erase from the front). Everything is released
// at the end. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Field {
    std::string text;
    int version = 0;
};

struct Record {
    int id = 0;
    Field fields[4];
};

static unsigned long rng = 1999;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return static_cast<unsigned>(rng >> 33);
}

static std::shared_ptr<Record> make_record(int id) {
    auto rec = std::make_shared<Record>(); // site: record
    rec->id = id;
    char buf[80];
    for (int k = 0; k < 4; k++) {
        std::snprintf(buf, sizeof buf, "service-%03d.setting[%d] = default value", id, k);
        rec->fields[k].text.assign(buf); // site: field_text
    }
    return rec;
}

static void update(Record &rec, int k, int step) {
    char buf[112];
    std::snprintf(buf, sizeof buf, "service-%03d.setting[%d] = override from step %06d, applied by the operator", rec.id, k, step);
    rec.fields[k].text.assign(buf); // site: field_text_updated
    rec.fields[k].version++;
}

int main() {
    const int slots = 64, maxhandles = 256;
    std::vector<std::shared_ptr<Record>> table;
    table.reserve(slots); // site: table_buf
    for (int i = 0; i < slots; i++) table.push_back(make_record(i));
    std::vector<std::shared_ptr<Field>> handles;
    handles.reserve(maxhandles); // site: handles_buf
    int next_id = slots, replaced = 0, dropped = 0;
    long retained_max = 0, checksum = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned r = rnd();
        int s = static_cast<int>(rnd() % slots);
        switch (r % 4) {
        case 0: // hand out a field of the current record
            if (handles.size() == static_cast<size_t>(maxhandles)) {
                handles.erase(handles.begin(), handles.begin() + 64);
                dropped += 64;
            }
            handles.emplace_back(table[s], &table[s]->fields[r / 4 % 4]);
            break;
        case 1: // replace the record in a slot
            if (r / 4 % 8 == 0) {
                table[s] = make_record(next_id++ % 1000);
                replaced++;
            }
            break;
        case 2:
            update(*table[s], static_cast<int>(r / 4 % 4), step);
            break;
        default: // read through a handle
            if (!handles.empty()) {
                const Field &f = *handles[r / 4 % handles.size()];
                checksum += static_cast<long>(f.text.size()) + f.version;
            }
            break;
        }
        long retained = 0;
        for (const auto &h : handles) retained += h.use_count() == 1 ? 1 : 0;
        if (retained > retained_max) retained_max = retained;
        if (step % 2000 == 1999)
            std::printf("step %d: %zu handles, %d replaced, %d dropped, at most %ld handles keeping a replaced record alone, checksum %ld\n",
                        step + 1, handles.size(), replaced, dropped, retained_max, checksum);
    }
    handles.clear();
    table.clear();
    return 0;
}
