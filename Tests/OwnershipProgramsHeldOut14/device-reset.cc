// Audio device manager: a reserved vector of make_unique'd Devices, each holding two
// std::unique_ptr members, a Codec (a long name and a reserved coefficient table) and
// an optional Filter (a long label). Reconfiguration reset()s and reassigns the
// members: a new codec replaces the old one (freed by the assignment), filters are
// dropped with reset() and later recreated, and two devices swap their codecs with
// std::swap. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct Codec {
    std::string name;
    std::vector<int> table;
};

struct Filter {
    std::string label;
    int cutoff = 0;
};

struct Device {
    int id = 0;
    std::unique_ptr<Codec> codec;
    std::unique_ptr<Filter> filter;
};

static std::unique_ptr<Codec> make_codec(int dev, int gen) {
    auto c = std::make_unique<Codec>(); // site: codec
    c->name.reserve(48); // site: codec_name
    char buf[48];
    std::snprintf(buf, sizeof buf, "codec for device %d, generation %d", dev, gen);
    c->name.assign(buf);
    c->table.reserve(16); // site: table
    for (int i = 0; i < 16; i++) c->table.push_back((dev * 31 + gen * 7 + i * i) % 97);
    return c;
}

static std::unique_ptr<Filter> make_filter(int dev, int cutoff) {
    auto f = std::make_unique<Filter>(); // site: filter
    f->label.reserve(40); // site: filter_label
    char buf[40];
    std::snprintf(buf, sizeof buf, "low-pass filter on device %d", dev);
    f->label.assign(buf);
    f->cutoff = cutoff;
    return f;
}

int main() {
    std::vector<std::unique_ptr<Device>> devices;
    devices.reserve(6); // site: devices_buf
    for (int i = 0; i < 6; i++) {
        auto d = std::make_unique<Device>(); // site: device
        d->id = i;
        d->codec = make_codec(i, 0);
        if (i % 2 == 0) d->filter = make_filter(i, 4000 + i * 100);
        devices.push_back(std::move(d));
    }
    long checksum = 0;
    for (int round = 1; round <= 40; round++) {
        Device &d = *devices[round % 6];
        if (round % 3 == 0) d.codec = make_codec(d.id, round);
        if (round % 4 == 0) d.filter.reset();
        else if (round % 5 == 0 && !d.filter) d.filter = make_filter(d.id, 3000 + round * 10);
        if (round % 7 == 0) std::swap(devices[0]->codec, devices[(round / 7) % 5 + 1]->codec);
        for (auto &dev : devices) {
            checksum += dev->codec->table[round % 16] + (long)dev->codec->name.size();
            if (dev->filter) checksum += dev->filter->cutoff % 97;
        }
    }
    int filters = 0;
    for (auto &dev : devices) filters += dev->filter != nullptr;
    std::printf("%zu devices, %d filters, checksum %ld, device 0 codec: %s\n", devices.size(), filters, checksum, devices[0]->codec->name.c_str());
    return 0;
}
