// C++ property sheet of std::any values. A sheet (make_unique) holds a std::vector<std::any>
// (reserved for 128 slots, never grown) and a std::vector<std::shared_ptr<Unit>> unit
// table (reserved for 8). Most slots hold a Measure, too large for std::any's inline
// buffer, so each one is a separate heap block (allocated by the std::any); a Measure
// holds a std::shared_ptr<Unit> to one of the units (make_shared: count and Unit in one
// block). Other slots hold an int (inline, no block). Slots are overwritten by move
// assignment (the new Measure allocated, the old one freed) or reset. Midway the unit
// table is rebuilt: the old units stay alive while Measures still hold them. No scan.
#include <any>
#include <cstdio>
#include <memory>
#include <vector>

struct Unit {
    char symbol[8];
    double scale;
};

struct Measure {
    double value[5];
    int id;
    std::shared_ptr<Unit> unit;
};

struct Sheet {
    std::vector<std::any> props;
    std::vector<std::shared_ptr<Unit>> units;
};

static unsigned long rng = 55555;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void make_units(Sheet &s, int gen) {
    static const char *names[] = {"m", "kg", "s", "A", "K", "mol", "cd", "Hz"};
    s.units.clear();
    for (int i = 0; i < 8; i++) {
        auto u = std::make_shared<Unit>(); // site: unit
        std::snprintf(u->symbol, sizeof u->symbol, "%s", names[i]);
        u->scale = 1.0 + gen + i * 0.5;
        s.units.push_back(std::move(u));
    }
}

static Measure measure(const Sheet &s, int id) {
    Measure m;
    for (int k = 0; k < 5; k++) m.value[k] = (double)((id * 31 + k * 7) % 97);
    m.id = id;
    m.unit = s.units[rnd() % 8];
    return m;
}

int main() {
    auto sheet = std::make_unique<Sheet>(); // site: sheet
    sheet->props.reserve(128); // site: props_buf
    sheet->units.reserve(8); // site: units_buf
    make_units(*sheet, 0);
    for (int i = 0; i < 128; i++) {
        if (i % 4 == 3)
            sheet->props.emplace_back(i);
        else
            sheet->props.emplace_back(measure(*sheet, i)); // site: measure
    }
    double total = 0;
    int ints = 0;
    for (int step = 0; step < 5000; step++) {
        size_t slot = rnd() % 128;
        unsigned r = rnd() % 6;
        if (step == 2500) make_units(*sheet, 1);
        if (r < 4)
            sheet->props[slot] = measure(*sheet, step); // site: measure_set
        else if (r == 4)
            sheet->props[slot] = (int)step;
        else
            sheet->props[slot].reset();
        if (step % 1000 == 999) {
            ints = 0;
            for (const auto &p : sheet->props) {
                if (const Measure *m = std::any_cast<Measure>(&p))
                    total += m->value[0] * m->unit->scale;
                else if (std::any_cast<int>(&p))
                    ints++;
            }
            long users = 0;
            for (const auto &u : sheet->units) users += u.use_count();
            std::printf("step %d: %d ints, unit users %ld, total %.1f\n", step + 1, ints, users, total);
        }
    }
    sheet.reset();
    return 0;
}
