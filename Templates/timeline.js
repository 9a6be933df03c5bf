// memscope report: the memory-over-time overlay. Hover shows the time, live heap,
// allocations and RSS under the pointer; dragging selects a range of whole slices, which
// report.js shows in the flamegraphs (and this script in a table of sites).
// Everything it needs is inline in the page (#timeline-data); it makes no requests.
"use strict";
const memscopeTimeline = (function () {
  const selftest = /(^#|&)tltest(&|$)/.test(location.hash) ? new URLSearchParams(location.hash.slice(1)) : null;
  const errors = [];
  if (selftest) {
    window.addEventListener("error", (e) => errors.push(String(e.message)));
    document.addEventListener("securitypolicyviolation", (e) => errors.push("CSP: " + e.violatedDirective));
  }
  const source = document.getElementById("timeline-data");
  const data = source ? JSON.parse(source.textContent) : null;
  const svg = document.querySelector("#timeline figure svg");
  if (!data || !svg) return null;
  const g = data.geometry;
  const figure = svg.parentElement;
  const slices = data.slices;
  const $ = (id) => document.getElementById(id);

  // ---- formatting (as report.js, and memscope's Units for times) ----
  function bytes(v) {
    if (v < 1024) return v + " B";
    const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    let u = -1;
    do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
    return v.toFixed(1) + " " + units[u];
  }
  const count = (v) => v.toLocaleString("en-US");
  function time(ns) {
    if (data.unit) {
      const v = ns < 1e3 ? ns.toFixed(0) : ns < 1e6 ? (ns / 1e3).toFixed(1) + " k" : ns < 1e9 ? (ns / 1e6).toFixed(1) + " M" : (ns / 1e9).toFixed(2) + " G";
      return v + " " + data.unit;
    }
    if (ns < 1e3) return Math.round(ns) + " ns";
    if (ns < 1e6) return (ns / 1e3).toFixed(1) + " µs";
    if (ns < 1e9) return (ns / 1e6).toFixed(1) + " ms";
    return (ns / 1e9).toFixed(2) + " s";
  }
  // A span of time, both ends in the unit of its end, with as many decimals as it takes for
  // them to differ (a 2 ms interval at 1.52 s reads 1.520 s – 1.522 s, not 1.52 s – 1.52 s).
  function span(t0, t1) {
    const scales = data.unit ? [[1, ""], [1e3, " k"], [1e6, " M"], [1e9, " G"]] : [[1, " ns"], [1e3, " µs"], [1e6, " ms"], [1e9, " s"]];
    let k = 0;
    while (k + 1 < scales.length && t1 >= scales[k + 1][0]) k++;
    const [scale, suffix] = scales[k];
    let d = k === 0 ? 0 : k === 3 ? 2 : 1;
    while (d < 6 && (t0 / scale).toFixed(d) === (t1 / scale).toFixed(d)) d++;
    return (t0 / scale).toFixed(d) + suffix + " – " + (t1 / scale).toFixed(d) + suffix + (data.unit ? " " + data.unit : "");
  }

  // ---- the overlay, placed from the layout's own rectangle ----
  const bottom = data.geometry.rateTop !== null ? g.rateTop + g.rateHeight : g.heapTop + g.heapHeight;
  const overlay = document.createElement("div");
  overlay.className = "tl-overlay";
  overlay.setAttribute("aria-label", "memory over time: hover for figures" + (slices ? ", drag to select a range" : ""));
  const band = document.createElement("div");
  band.className = "tl-band";
  band.hidden = true;
  const line = document.createElement("div");
  line.className = "tl-line";
  line.hidden = true;
  const dot = document.createElement("div");
  dot.className = "tl-dot";
  dot.hidden = true;
  overlay.append(band, line, dot);
  figure.classList.add("tl-figure");
  figure.appendChild(overlay);
  const tip = document.createElement("div");
  tip.id = "timeline-tip";
  tip.hidden = true;
  document.body.appendChild(tip);
  const status = document.createElement("p");
  status.id = "range-status";
  status.className = "note";
  figure.insertAdjacentElement("afterend", status);

  // Picture px per layout unit (1 unless the picture is scaled).
  const scale = () => svg.getBoundingClientRect().width / g.width || 1;
  function place() {
    const s = scale();
    // The picture's corner in the figure's coordinates (an <svg> has no offsetLeft).
    const p = svg.getBoundingClientRect(), f = figure.getBoundingClientRect();
    overlay.style.left = p.left - f.left - figure.clientLeft + figure.scrollLeft + g.plotLeft * s + "px";
    overlay.style.top = p.top - f.top - figure.clientTop + figure.scrollTop + g.heapTop * s + "px";
    overlay.style.width = g.plotWidth * s + "px";
    overlay.style.height = (bottom - g.heapTop) * s + "px";
  }
  place();
  window.addEventListener("resize", place);

  // Layout x (picture units, from the plot's left edge) of a time, and back.
  const xOf = (ns) => (Math.min(Math.max(ns, 0), g.durationNs) / g.durationNs) * g.plotWidth;
  function timeAt(clientX) {
    const r = overlay.getBoundingClientRect();
    const x = (clientX - r.left) / scale();
    return Math.min(Math.max(x / g.plotWidth, 0), 1) * g.durationNs;
  }

  // ---- hover ----
  const n = data.maxLive.length;
  function pointAt(ns) { return Math.max(0, Math.min(n - 1, Math.floor(ns / data.intervalNs))); }
  function rssAt(ns) {
    if (!data.rss) return -1;
    let lo = 0, hi = data.rss.t.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (data.rss.t[mid] <= ns) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  function hover(clientX, clientY) {
    const t = timeAt(clientX);
    const i = pointAt(t);
    const t0 = i * data.intervalNs, t1 = Math.min((i + 1) * data.intervalNs, g.durationNs);
    const s = scale();
    line.hidden = false;
    line.style.left = xOf(t) * s + "px";
    dot.hidden = false;
    dot.style.left = xOf(t) * s + "px";
    dot.style.top = (g.heapHeight - (data.maxLive[i] / g.bytesMax) * g.heapHeight) * s + "px";
    const rows = [["time", span(t0, t1)],
      ["live", "live heap: up to " + bytes(data.maxLive[i]) + " (" + bytes(data.endLive[i]) + " at the interval's end)"]];
    tip.dataset.t = t;
    tip.dataset.t0 = t0;
    tip.dataset.t1 = t1;
    tip.dataset.live = data.maxLive[i];
    if (data.rates) {
      const b = data.bytesAllocated[i];
      const rate = !data.unit && t1 > t0 ? b / ((t1 - t0) / 1e9) : -1;
      rows.push(["rate", "allocated: " + bytes(b) + " in " + count(data.allocations[i]) + " calls" + (rate >= 0 ? " (" + bytes(Math.round(rate)) + "/s)" : "")]);
      tip.dataset.bytes = b;
      tip.dataset.rate = rate;
    }
    if (data.rss) {
      const k = rssAt(t);
      rows.push(["rss", k < 0 ? "RSS: no sample yet" : "RSS: " + bytes(data.rss.bytes[k]) + " (sample at " + time(data.rss.t[k]) + ")"]);
      tip.dataset.rss = k < 0 ? -1 : data.rss.bytes[k];
    }
    if (slices) rows.push(["hint", "drag to select a range"]);
    tip.textContent = "";
    for (const [cls, text] of rows) {
      const div = document.createElement("div");
      div.className = "tip-" + cls;
      div.textContent = text;
      tip.appendChild(div);
    }
    tip.hidden = false;
    // Fixed to the window and kept wholly in sight, as the flamegraph's tip.
    const pad = 6, gap = 14;
    const right = document.documentElement.clientWidth - pad, low = document.documentElement.clientHeight - pad;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    let left = clientX + gap, top = clientY + gap;
    if (left + w > right) left = clientX - gap - w;
    if (top + h > low) top = clientY - gap - h;
    tip.style.left = Math.max(pad, Math.min(left, right - w)) + "px";
    tip.style.top = Math.max(pad, Math.min(top, low - h)) + "px";
  }
  function unhover() { line.hidden = true; dot.hidden = true; tip.hidden = true; }

  // ---- ranges of whole slices ----
  const sliceAt = (ns) => Math.max(0, Math.min(slices.count - 1, Math.floor(ns / slices.ns)));
  function parse(key) {
    const m = slices && typeof key === "string" ? /^(\d+)-(\d+)$/.exec(key) : null;
    if (!m) return null;
    const a = Number(m[1]), b = Number(m[2]);
    return a <= b && b < slices.count ? [a, b] : null;
  }
  const bounds = (a, b) => [a * slices.ns, Math.min((b + 1) * slices.ns, Math.max(g.durationNs, a * slices.ns))];
  function label(key) {
    const r = parse(key);
    if (!r) return "";
    const [t0, t1] = bounds(r[0], r[1]);
    return span(t0, t1);
  }
  function drawBand(a, b) {
    const s = scale();
    const [t0, t1] = bounds(a, b);
    band.hidden = false;
    band.style.left = xOf(t0) * s + "px";
    band.style.width = Math.max(1, (xOf(t1) - xOf(t0)) * s) + "px";
  }
  // Per site, the range's figures: calls, bytes and frees within it; live bytes and blocks at its end.
  const sumCache = new Map();
  function sums(key) {
    if (sumCache.has(key)) return sumCache.get(key);
    const [a, b] = parse(key);
    const m = slices.titles.length;
    const r = { calls: new Float64Array(m), bytes: new Float64Array(m), frees: new Float64Array(m), live: new Float64Array(m), blocks: new Float64Array(m) };
    for (let k = 0; k <= b; k++) {
      const c = slices.cells[k];
      for (let j = 0; j < c.length; j += 6) {
        const site = c[j];
        if (k >= a) { r.calls[site] += c[j + 1]; r.bytes[site] += c[j + 2]; r.frees[site] += c[j + 3]; }
        r.live[site] += c[j + 4];
        r.blocks[site] += c[j + 5];
      }
    }
    r.total = { calls: 0, bytes: 0, frees: 0, live: 0 };
    for (let s = 0; s < m; s++) {
      r.total.calls += r.calls[s]; r.total.bytes += r.bytes[s]; r.total.frees += r.frees[s]; r.total.live += r.live[s];
    }
    sumCache.set(key, r);
    return r;
  }
  // What each flamegraph cost means for a range; null: not for ranges (a peak or a
  // temporary does not add up over slices).
  const rangeCosts = { allocated: ["bytes", "Bytes allocated in the range"], allocations: ["calls", "Allocation calls in the range"],
                       leaked: ["live", "Live at the range's end"] };
  function costTitle(key) { return rangeCosts[key] ? rangeCosts[key][1] : null; }
  // The whole run's flamegraphs with the range's values: each site's figures summed into its
  // box, then each box's into its parents (boxes are in pre-order: parents first).
  const treeCache = new Map();
  function rangeTrees(key, base, costKeys) {
    if (treeCache.has(key)) return treeCache.get(key);
    const r = sums(key);
    const trees = {};
    for (const [dir, boxes] of [["top-down", slices.td], ["bottom-up", slices.bu]]) {
      const t = base[dir], nodes = t.parent.length;
      const values = costKeys.map((c) => {
        const v = new Float64Array(nodes);
        if (!rangeCosts[c]) return v;
        const figure = r[rangeCosts[c][0]];
        for (let s = 0; s < boxes.length; s++) if (boxes[s] >= 0) v[boxes[s]] += figure[s];
        for (let i = nodes - 1; i > 0; i--) v[t.parent[i]] += v[i];
        return v;
      });
      trees[dir] = Object.assign({}, t, { values });
    }
    treeCache.set(key, trees);
    return trees;
  }

  // ---- the range's table of sites (built as text nodes: names from dumps are hostile) ----
  const tables = $("tables");
  const rangeTable = document.createElement("div");
  rangeTable.id = "range-sites";
  rangeTable.hidden = true;
  if (tables) tables.querySelector("h2").insertAdjacentElement("afterend", rangeTable);
  const columns = [["site", null], ["calls", "calls"], ["allocated", "bytes"], ["frees", "frees"], ["live at end", "live"], ["blocks live at end", "blocks"]];
  let sortBy = "bytes";
  function showTable(key) {
    rangeTable.textContent = "";
    if (!key) { rangeTable.hidden = true; return; }
    const r = sums(key);
    const shown = [];
    for (let s = 0; s < slices.titles.length; s++) if (r.calls[s] || r.frees[s] || r.live[s]) shown.push(s);
    shown.sort((x, y) => (r[sortBy][y] - r[sortBy][x]) || (x - y));
    const h = document.createElement("h3");
    h.textContent = "Top allocation sites from " + label(key) + " (the selected range)";
    const note = document.createElement("p");
    note.className = "note";
    const by = columns.find((c) => c[1] === sortBy)[0];
    note.textContent = (shown.length > 50 ? "The 50 sites of " + shown.length + " active in the range with the most " + by
      : "The " + shown.length + " sites active in the range, by " + by) + ": calls, bytes and frees within it, " +
      "and what was live at its end (allocated earlier too). Exact, for whole slices of " + time(slices.ns) + ". Click a column to sort.";
    const table = document.createElement("table");
    table.className = "range-table";
    const head = table.createTHead().insertRow();
    for (const [title, field] of columns) {
      const th = document.createElement("th");
      th.textContent = title;
      if (field) {
        th.className = "num";
        th.dataset.field = field;
        if (field === sortBy) th.setAttribute("aria-sort", "descending");
        th.addEventListener("click", () => { sortBy = field; showTable(key); });
      }
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const s of shown.slice(0, 50)) {
      const row = body.insertRow();
      const name = row.insertCell();
      name.className = "fn";
      name.textContent = slices.titles[s];
      for (const [, field] of columns.slice(1)) {
        const cell = row.insertCell();
        cell.className = "num";
        cell.dataset.value = r[field][s];
        cell.textContent = field === "bytes" || field === "live" ? bytes(r[field][s]) : count(r[field][s]);
      }
    }
    rangeTable.append(h, note, table);
    rangeTable.hidden = false;
  }

  // ---- status line under the picture ----
  let onSelect = () => {};
  function showStatus(key) {
    status.textContent = "";
    if (!slices) {
      status.textContent = "Hover the chart for its figures. " + data.noRanges;
      return;
    }
    if (!key) {
      status.textContent = "Hover the chart for its figures; drag across it to select a range of time, which the flamegraphs and a table of sites " +
        "then show (in whole slices of " + time(slices.ns) + ", " + slices.count + " in this run; Back undoes it).";
      return;
    }
    const [a, b] = parse(key);
    const r = sums(key);
    const text = document.createElement("span");
    text.textContent = "Selected " + label(key) + " (slices " + (a + 1) + "–" + (b + 1) + " of " + slices.count + "): " +
      count(r.total.calls) + " allocation calls and " + bytes(r.total.bytes) + " allocated in it, " + count(r.total.frees) + " frees; " +
      bytes(r.total.live) + " live at its end. ";
    const clear = document.createElement("button");
    clear.type = "button";
    clear.id = "range-clear";
    clear.textContent = "whole run";
    clear.addEventListener("click", () => onSelect(""));
    status.append(text, clear);
  }

  // The cost buttons say what they count in a range (report.js disables the others).
  const rangeButtonLabels = { allocated: "Allocated in range", allocations: "Calls in range", leaked: "Live at range end" };
  const costButtons = [...document.querySelectorAll("[data-cost]")];
  for (const b of costButtons) b.dataset.label = b.textContent;
  let shownKey = "";
  function show(key) {
    shownKey = slices && parse(key) ? key : "";
    for (const b of costButtons) {
      b.textContent = shownKey && rangeButtonLabels[b.dataset.cost] ? rangeButtonLabels[b.dataset.cost] : b.dataset.label;
      b.title = shownKey && !rangeButtonLabels[b.dataset.cost] ? "not for a range: it does not add up over slices of time" : "";
    }
    if (shownKey) { const [a, b] = parse(shownKey); drawBand(a, b); } else band.hidden = true;
    showStatus(shownKey);
    if (slices) showTable(shownKey);
  }

  // ---- pointer ----
  let drag = null;
  overlay.addEventListener("mousemove", (e) => { if (!drag) hover(e.clientX, e.clientY); });
  overlay.addEventListener("mouseleave", () => { if (!drag) unhover(); });
  if (slices) {
    overlay.addEventListener("mousedown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      drag = { x: e.clientX, t: timeAt(e.clientX) };
      unhover();
    });
    document.addEventListener("mousemove", (e) => {
      if (!drag) return;
      const t = timeAt(e.clientX);
      drawBand(sliceAt(Math.min(drag.t, t)), sliceAt(Math.max(drag.t, t)));
    });
    document.addEventListener("mouseup", (e) => {
      if (!drag) return;
      const start = drag;
      drag = null;
      if (Math.abs(e.clientX - start.x) < 3) { show(shownKey); return; }  // a click, not a drag
      const t = timeAt(e.clientX);
      onSelect(sliceAt(Math.min(start.t, t)) + "-" + sliceAt(Math.max(start.t, t)));
    });
  }
  show("");

  // ---- self-test, for the browser tests: #tltest&hoverx=X&dragx0=A&dragx1=B (picture
  // px) hovers, drags and goes Back through DOM events, and writes what it saw into
  // #timeline-selftest. ----
  if (selftest) {
    setTimeout(() => {
      const result = { errors };
      const r = svg.getBoundingClientRect(), s = scale();
      const at = (x) => ({ clientX: r.left + x * s, clientY: r.top + (g.heapTop + g.heapHeight / 2) * s, bubbles: true, button: 0 });
      const box = overlay.getBoundingClientRect();
      result.overlay = { left: (box.left - r.left) / s, top: (box.top - r.top) / s, width: box.width / s, height: box.height / s };
      overlay.dispatchEvent(new MouseEvent("mousemove", at(Number(selftest.get("hoverx")))));
      result.hover = Object.assign({ text: tip.textContent, shown: !tip.hidden }, tip.dataset);
      overlay.dispatchEvent(new MouseEvent("mouseleave", { bubbles: true }));
      const total = () => ({ text: $("flame-total").textContent, value: Number($("flame-total").dataset.value) });
      result.before = { total: total(), hash: location.hash };
      if (slices) {
        overlay.dispatchEvent(new MouseEvent("mousedown", at(Number(selftest.get("dragx0")))));
        document.dispatchEvent(new MouseEvent("mousemove", at(Number(selftest.get("dragx1")))));
        document.dispatchEvent(new MouseEvent("mouseup", at(Number(selftest.get("dragx1")))));
        result.selected = { key: shownKey, hash: location.hash, total: total(), status: status.textContent,
                            tableRows: rangeTable.querySelectorAll("tbody tr").length, bandShown: !band.hidden,
                            slices: slices.count, sliceNs: slices.ns };
        const costs = {};
        for (const b of document.querySelectorAll("[data-cost]")) {
          if (b.disabled) { costs[b.dataset.cost] = null; continue; }
          b.click();
          costs[b.dataset.cost] = total();
        }
        result.selected.costs = costs;
        document.querySelector("[data-cost=allocated]").click();
      }
      const finish = () => {
        result.after = { total: total(), hash: location.hash, key: shownKey, bandShown: !band.hidden, tableShown: !rangeTable.hidden };
        const out = document.createElement("pre");
        out.id = "timeline-selftest";
        out.textContent = JSON.stringify(result);
        document.body.appendChild(out);
        // &show=hover leaves the tip up at hoverx (for screenshots).
        if (selftest.get("show") === "hover") overlay.dispatchEvent(new MouseEvent("mousemove", at(Number(selftest.get("hoverx")))));
      };
      if (!slices) return finish();
      // Back, as a person presses it: the range goes, the whole run comes back.
      window.addEventListener("popstate", () => setTimeout(finish, 0), { once: true });
      history.back();
    }, 0);
  }

  return {
    /// Whether `key` names a range of this page's slices ("first-last", 0-based).
    validRange: (key) => parse(key) !== null,
    costTitle,
    rangeLabel: label,
    rangeTrees,
    /// `handler(key)` runs when the user selects a range ("" for the whole run).
    onSelect: (handler) => { onSelect = handler; },
    /// Shows the page's range ("" for none): the band, the line under the picture and the table.
    show,
  };
})();
