#!/usr/bin/env python3
"""The render benchmark beside memray and heaptrack_print (issue 20, parts 4 and 5).

For each size N (events): memscope summary and render (every default view on) of the
benchmark dump; `memray flamegraph` on a capture of a Python workload of about N records;
memscope render of the same events as a heaptrack file beside heaptrack_print. Plus the
dump whose half of the events allocate blocks live to the end (1.98M events, 990,000 live
blocks), one whose stacks are nearly all distinct (600,000 events, a third as many stacks), and a
real program's: cc1plus compiling a C++ file (g++ -O2 -c), recorded by memscope. Times are best of --runs (wall and CPU = user + system, from /usr/bin/time), RSS
from the same run. The machine is shared: the load average is printed with the table.

Usage: scripts/bench_render.py [--sizes 1000000,10000000,100000000] [--runs 3]
       [--memscope .build/release/memscope] [--bench .build/release/memscope-bench] [--out bench-out]
memray is installed with pip if missing; when it cannot be (offline), its columns say so.
"""
import argparse, json, os, subprocess, sys, tempfile

p = argparse.ArgumentParser()
p.add_argument("--sizes", default="1000000,10000000,100000000")
p.add_argument("--runs", type=int, default=3)
p.add_argument("--memscope", default=".build/release/memscope")
p.add_argument("--bench", default=".build/release/memscope-bench")
p.add_argument("--out", default="bench-out")
p.add_argument("--render-args", default="", help="more arguments for memscope render (e.g. views forced on an older build)")
p.add_argument("--live", type=int, default=1_980_000, help="events of the many-live-blocks dump (0: none)")
p.add_argument("--stacks", type=int, default=600_000, help="events of the many-distinct-stacks dump (0: none)")
p.add_argument("--compile", default="Tests/RealPrograms/stl.cc",
               help="a C++ file whose compilation (g++ -O2 -c) is recorded: cc1plus's dump is rendered ('': none)")
args = p.parse_args()
sizes = [int(s) for s in args.sizes.split(",") if s]
os.makedirs(args.out, exist_ok=True)


def log(text):
    print(text, file=sys.stderr, flush=True)


def timed(cmd, env=None):
    """(wall s, cpu s, peak RSS bytes, exit status) of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        full = ["/usr/bin/time", "-o", t.name, "-f", "%e %U %S %M"] + cmd
        status = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=dict(os.environ, **(env or {}))).returncode
        fields = t.read().split()[-4:]
    wall, user, system, kb = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    return wall, user + system, kb * 1024, status


def best(cmd, runs, env=None):
    """Best of `runs` by CPU time (the machine is shared: CPU time varies least)."""
    results = [timed(cmd, env) for _ in range(runs)]
    failed = [r for r in results if r[3] != 0]
    if failed:
        return failed[0]
    return min(results, key=lambda r: r[1])


def mib(b):
    return f"{b / 1048576:.1f} MiB"


# --- memray -----------------------------------------------------------------------------
MEMRAY_WORKLOAD = r'''
import sys
n = int(sys.argv[1])
keep = []
def level(d, i):
    if d == 0:
        b = bytearray(16 + (i * 37) % 4000)
        if i % 60 == 0:
            keep.append(b)
        return len(b)
    return level(d - 1, i)
t = 0
for i in range(n):
    t += level(i % 7, i)
'''
RECORDS_PER_ITERATION = 23.7  # allocations, frees and reallocs memray records per loop (measured)


def memray_available():
    try:
        import memray  # noqa: F401
        return None
    except ImportError:
        pass
    log("installing memray with pip…")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "memray"], capture_output=True, text=True)
    if r.returncode != 0:
        return "memray could not be installed (pip install memray failed: offline?); its columns are left out"
    try:
        import importlib
        importlib.invalidate_caches()
        import memray  # noqa: F401
        return None
    except ImportError:
        return "memray was installed but does not import; its columns are left out"


def memray_capture(records):
    """A capture of about `records` records, and its exact count of records."""
    import memray
    path = f"{args.out}/memray-{records}.bin"
    if not os.path.exists(path):
        script = f"{args.out}/memray-workload.py"
        with open(script, "w") as f:
            f.write(MEMRAY_WORKLOAD)
        log(f"recording a Python workload of about {records:,} records with memray…")
        subprocess.run([sys.executable, "-m", "memray", "run", "-q", "-f", "--trace-python-allocators", "-o", path,
                        script, str(int(records / RECORDS_PER_ITERATION))], check=True, stdout=subprocess.DEVNULL)
    return path, memray.FileReader(path).metadata.total_allocations


# --- inputs -----------------------------------------------------------------------------
def dump(n):
    msd, heaptrack = f"{args.out}/bench-{n}.msd", f"{args.out}/bench-{n}.heaptrack"
    if not (os.path.exists(msd) and os.path.exists(heaptrack)):
        log(f"generating {n:,} events…")
        subprocess.run([args.bench, "--generate", str(n), "--out", args.out], check=True)
    return msd, heaptrack


rows = []
notes = []
missing = memray_available()
if missing:
    notes.append(missing)

for n in sizes:
    runs = args.runs if n <= 10_000_000 else 1
    msd, heaptrack = dump(n)
    log(f"{n:,} events: memscope…")
    summary = best([args.memscope, "summary", "--json", "--quiet", msd], runs)
    report = f"{args.out}/report-{n}.html"
    extra = args.render_args.split()
    render = best([args.memscope, "render", "-q", "--force", *extra, msd, "-o", report], runs)
    rows.append(dict(size=n, tool="memscope summary", records=n, m=summary))
    rows.append(dict(size=n, tool="memscope render (every default view)", records=n, m=render,
                     page=os.path.getsize(report)))
    if not missing:
        path, records = memray_capture(n)
        log(f"{n:,} events: memray flamegraph of {records:,} records…")
        m = best([sys.executable, "-m", "memray", "flamegraph", "-f", "-o", f"{args.out}/memray-{n}.html", path], runs)
        rows.append(dict(size=n, tool="memray flamegraph", records=records, m=m))
    log(f"{n:,} events: heaptrack…")
    hreport = f"{args.out}/report-heaptrack-{n}.html"
    rows.append(dict(size=n, tool="memscope render (heaptrack file)", records=n,
                     m=best([args.memscope, "render", "-q", "--force", *args.render_args.split(), heaptrack, "-o", hreport], runs),
                     page=os.path.getsize(hreport)))
    rows.append(dict(size=n, tool="heaptrack_print", records=n, m=best(["heaptrack_print", heaptrack], 1)))

def summary_and_render(dump, events, what, report):
    """Rows of memscope summary and render (every default view) of one dump."""
    rows.append(dict(size=events, tool=f"memscope summary ({what})", records=events,
                     m=best([args.memscope, "summary", "--json", "--quiet", dump], args.runs)))
    rows.append(dict(size=events, tool=f"memscope render ({what})", records=events,
                     m=best([args.memscope, "render", "-q", "--force", *args.render_args.split(), dump, "-o", report], args.runs),
                     page=os.path.getsize(report)))


# The dumps that stress one dimension: (events, generator option, file name, what).
for events, option, name, what in [(args.live, "--generate-live", "bench-live", "half the blocks live"),
                                   (args.stacks, "--generate-stacks", "bench-stacks", "distinct stacks")]:
    if not events:
        continue
    dump = f"{args.out}/{name}-{events}.msd"
    if not os.path.exists(dump):
        subprocess.run([args.bench, option, str(events), "--out", args.out], check=True)
    summary_and_render(dump, events, what, f"{args.out}/report-{name[len('bench-'):]}.html")

# A real program's dump: deep, mostly distinct stacks of a stripped compiler.
if args.compile:
    base = f"{args.out}/gxx.msd"
    children = [f for f in os.listdir(args.out) if f.startswith("gxx.msd.")]
    if not children:
        log(f"recording g++ -O2 -c {args.compile}…")
        subprocess.run([args.memscope, "record", "-o", base, "--", "g++", "-O2", "-c", args.compile,
                        "-o", f"{args.out}/gxx.o"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children = [f for f in os.listdir(args.out) if f.startswith("gxx.msd.")]
    dump = os.path.join(args.out, max(children, key=lambda f: os.path.getsize(os.path.join(args.out, f))))
    events = json.loads(subprocess.run([args.memscope, "summary", "--json", "--quiet", dump], check=True,
                                       capture_output=True, text=True).stdout)["events"]
    summary_and_render(dump, events, f"cc1plus, {os.path.getsize(dump) / 1e6:.0f} MB", f"{args.out}/report-cc1plus.html")

load = open("/proc/loadavg").read().split()[:3]
print(f"Load average (1, 5, 15 min) at the end: {' '.join(load)} on {os.cpu_count()} cores; best of {args.runs} "
      "by CPU time (1 run at 100M); memray and memscope per record compared by CPU time and by wall time.")
print()
print("| tool | events / records | wall s | CPU s | records/s (CPU) | peak RSS | report | vs memray per record (CPU / wall) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    wall, cpu, rss, status = r["m"]
    memray = next((x for x in rows if x["size"] == r["size"] and x["tool"] == "memray flamegraph"), None)
    ratio = "–"
    if memray and r["tool"].startswith("memscope render") and "heaptrack" not in r["tool"]:
        mw, mc = memray["m"][0], memray["m"][1]
        per = lambda secs, recs: recs / secs if secs > 0 else float("inf")
        ratio = f"{per(cpu, r['records']) / per(mc, memray['records']):.1f}× / {per(wall, r['records']) / per(mw, memray['records']):.1f}×"
    if r["tool"] == "memscope render (heaptrack file)":
        hp = next((x for x in rows if x["size"] == r["size"] and x["tool"] == "heaptrack_print"), None)
        if hp:
            ratio = f"vs heaptrack_print: {cpu / hp['m'][1]:.2f}× CPU, {wall / hp['m'][0]:.2f}× wall, {rss / hp['m'][2]:.2f}× RSS"
    status_note = "" if status == 0 else f" (exit {status})"
    page = mib(r["page"]) if "page" in r else ""
    print(f"| {r['tool']}{status_note} | {r['records']:,} | {wall:.2f} | {cpu:.2f} | {r['records'] / cpu / 1e6 if cpu else 0:.1f}M | {mib(rss)} | {page} | {ratio} |")
for note in notes:
    print(f"\nNote: {note}")
