// memscope report: flamegraph interaction, sortable tables, URL state.
// Everything it needs is inline in the page; it makes no requests.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("flame-data").textContent);
  const selftest = location.hash.includes("selftest");
  const $ = (id) => document.getElementById(id);
  const costIndex = (key) => data.costs.findIndex((c) => c.key === key);

  // ---- formatting ----
  function bytes(v) {
    if (v < 1024) return v + " B";
    const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    let u = -1;
    do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
    return v.toFixed(1) + " " + units[u];
  }
  const count = (v) => v.toLocaleString("en-US");
  const formatCost = (cost, v) => (cost.bytes ? bytes(v) : count(v));
  const percent = (part, whole) => (whole > 0 ? ((100 * part) / whole).toFixed(2) : "0.00") + "%";

  // ---- state (mirrored in the URL hash, so a view can be linked) ----
  const state = { cost: data.defaultCost, dir: "top-down", orient: "icicle", zoom: 0, search: "", thread: "", window: "", allFrames: false, range: "" };
  const defaults = Object.assign({}, state);
  // A range of the run selected on the memory-over-time chart (timeline.js), or null.
  const timeline = typeof memscopeTimeline === "object" ? memscopeTimeline : null;
  let pushHistory = false;  // the next draw adds a history entry, so Back undoes it
  // Precomputed flamegraphs of parts of the run: one thread's blocks, or one time window.
  const threadTrees = new Map(data.threads.map((v) => [v.key, v.trees]));
  const windowTrees = new Map(data.windows.map((v) => [v.key, v.trees]));
  // Colouring (by function, or by module: data.origins) and the selected function, whose
  // boxes are outlined and whose callers and callees are listed under the graph.
  Object.assign(state, { colour: "function", frame: "" });
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has("cost") && costIndex(params.get("cost")) >= 0) state.cost = params.get("cost");
    if (params.get("dir") === "bottom-up") state.dir = "bottom-up";
    if (params.get("orient") === "flame") state.orient = "flame";
    if (params.has("zoom")) state.zoom = Math.max(0, parseInt(params.get("zoom"), 10) || 0);
    if (params.has("search")) state.search = params.get("search");
    state.colour = params.get("colour") === "module" && data.origins.modules.length ? "module" : "function";
    state.frame = params.get("frame") || "";
    if (threadTrees.has(params.get("thread"))) state.thread = params.get("thread");
    else if (windowTrees.has(params.get("window"))) state.window = params.get("window");
    else if (timeline && timeline.validRange(params.get("range"))) state.range = params.get("range");
    else if (data.allFrames && params.get("frames") === "all") state.allFrames = true;
  }
  function writeHash() {
    const params = new URLSearchParams();
    if (state.cost !== data.defaultCost) params.set("cost", state.cost);
    if (state.dir !== "top-down") params.set("dir", state.dir);
    if (state.orient !== "icicle") params.set("orient", state.orient);
    if (state.zoom) params.set("zoom", String(state.zoom));
    if (state.search) params.set("search", state.search);
    if (state.colour !== "function") params.set("colour", state.colour);
    if (state.frame) params.set("frame", state.frame);
    if (state.thread) params.set("thread", state.thread);
    if (state.window) params.set("window", state.window);
    if (state.allFrames) params.set("frames", "all");
    if (state.range) params.set("range", state.range);
    const hash = params.toString();
    const url = hash ? "#" + hash : location.pathname + location.search;
    if (pushHistory && (hash ? "#" + hash : "") !== location.hash) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    pushHistory = false;
  }

  // ---- trees ----
  const allTrees = [data.trees, ...threadTrees.values(), ...windowTrees.values(), ...(data.allFrames ? [data.allFrames.trees] : [])].flatMap((trees) => Object.values(trees));
  for (const t of allTrees) {
    const n = t.parent.length;
    t.depth = new Int32Array(n);
    t.end = new Int32Array(n); // one past the last node of each subtree (pre-order)
    let maxDepth = 0;
    for (let i = 1; i < n; i++) {
      t.depth[i] = t.depth[t.parent[i]] + 1;
      if (t.depth[i] > maxDepth) maxDepth = t.depth[i];
    }
    t.maxDepth = maxDepth;
    const stack = [];
    for (let i = 0; i < n; i++) {
      while (stack.length && t.depth[stack[stack.length - 1]] >= t.depth[i]) t.end[stack.pop()] = i;
      stack.push(i);
    }
    while (stack.length) t.end[stack.pop()] = n;
  }
  const tree = () => (state.range ? timeline.rangeTrees(state.range, data.trees, data.costs.map((c) => c.key))
    : state.thread ? threadTrees.get(state.thread)
    : state.window ? windowTrees.get(state.window) : state.allFrames ? data.allFrames.trees : data.trees)[state.dir];
  const cost = () => data.costs[costIndex(state.cost)];
  const costTitle = (c) => (state.range ? timeline.costTitle(c.key) : c.title);

  // ---- layout: FlameLayout.boxes, with every parameter from FlameLayoutOptions (data.layout) ----
  const LO = data.layout;
  // Boxes of tree t for cost values v at a width: x and width per node, y per node, and the
  // rows down to the deepest box at least minimumBoxWidth wide (FlameLayout.visibleRows).
  // Zoomed on a node, its subtree fills the width, its ancestors span it and the rest is empty.
  function boxes(t, v, width, zoom, icicle) {
    const n = t.parent.length;
    const x = new Float64Array(n), w = new Float64Array(n), next = new Float64Array(n);
    const rootValue = v[zoom];
    const scale = rootValue > 0 ? width / rootValue : 0;
    for (let i = 0; i < n; i++) {
      const p = t.parent[i];
      const xi = p < 0 ? 0 : next[p];
      const wi = v[i] * scale;
      if (p >= 0) next[p] += wi;
      next[i] = xi;
      x[i] = xi;
      w[i] = wi;
    }
    if (zoom) {
      const shift = x[zoom];
      for (let i = 0; i < n; i++) {
        if (i >= zoom && i < t.end[zoom]) x[i] -= shift;
        else w[i] = 0;
      }
      for (let a = t.parent[zoom]; a >= 0; a = t.parent[a]) { x[a] = 0; w[a] = width; }
    }
    let deepest = 0;
    for (let i = 0; i < n; i++) if (w[i] >= LO.minimumBoxWidth && t.depth[i] > deepest) deepest = t.depth[i];
    const rows = deepest + 1;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (icicle ? t.depth[i] : rows - 1 - t.depth[i]) * LO.rowHeight;
    return { x, w, y, rows };
  }
  function layout() {
    const t = tree();
    const v = t.values[costIndex(state.cost)];
    const zoom = state.zoom < t.parent.length ? state.zoom : 0;
    const b = boxes(t, v, W, zoom, state.orient === "icicle");
    return { t, v, x: b.x, w: b.w, y: (i) => b.y[i], rows: b.rows, zoom, rootValue: v[zoom] };
  }
  // The rectangle drawn for a box (FlameLayout.drawnRect), and the inner outline of an
  // inlined frame's rectangle, or null when too narrow (FlameLayout.outlineRect).
  const drawnRect = (x, y, w) => [x, y, Math.max(w - LO.boxGap, LO.minimumBoxWidth), LO.rowHeight - LO.rowGap];
  function outlineRect(r) {
    const o = LO.outlineWidth;
    return r[2] >= 2 * o ? [r[0] + o / 2, r[1] + o / 2, r[2] - o, r[3] - o] : null;
  }

  // ---- search ----
  function matcher() {
    if (!state.search) return null;
    try { return new RegExp(state.search, "i"); } catch (e) {
      const needle = state.search.toLowerCase();
      return { test: (s) => s.toLowerCase().includes(needle) };
    }
  }

  // ---- drawing ----
  const canvas = $("flame-canvas"), img = $("flame-img"), view = $("flame-view");
  const initialPicture = img.getAttribute("src");
  const ctx = canvas.getContext("2d");
  const threadSelect = $("flame-thread"), windowSelect = $("flame-window"), allFramesBox = $("flame-all-frames");
  let current = null, hovered = -1;

  function usePicture() {
    return !state.thread && !state.window && !state.allFrames && !state.range && state.dir === "top-down" && state.orient === "icicle" && !state.zoom && data.images[state.cost];
  }

  // The graph fills the view's width. Near the Cairo picture's own width (up to a tenth
  // wider) it keeps that width, so the picture can be shown as drawn.
  let W = LO.width;
  function graphWidth() {
    const available = Math.floor(view.clientWidth);
    if (available >= LO.width && available <= LO.width * 1.1) return LO.width;
    return Math.max(160, available);
  }

  function draw() {
    // A range has no peak or temporary figures: it opens on bytes allocated in it.
    if (state.range && !timeline.costTitle(state.cost)) state.cost = "allocated";
    W = graphWidth();
    const L = layout();
    current = L;
    const height = L.rows * LO.rowHeight;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(W * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = W + "px";
    canvas.style.height = height + "px";
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, W, height);
    // The Cairo picture is coloured by function.
    const picture = usePicture() && W === LO.width && state.colour === "function";
    img.hidden = !picture;
    // Over the picture the canvas only draws highlights; alone it gives the view its height.
    canvas.style.position = picture ? "absolute" : "relative";
    if (picture) {
      const src = data.images[state.cost] === "initial" ? initialPicture : data.images[state.cost];
      if (img.getAttribute("src") !== src) img.src = src;
      img.style.width = LO.width + "px";
      img.style.height = height + "px";
    }
    const m = matcher();
    const names = data.strings;
    let matched = 0;
    const matchedUnder = new Int32Array(L.t.parent.length).fill(-1);
    ctx.font = LO.fontSize + "px 'DejaVu Sans', sans-serif";
    ctx.textBaseline = "middle";
    for (let i = 0; i < L.t.parent.length; i++) {
      const w = L.w[i];
      if (w < LO.minimumBoxWidth) continue;
      const x = L.x[i], y = L.y(i), r = drawnRect(x, y, w);
      const name = names[L.t.name[i]];
      const isMatch = m && i > 0 && !L.t.folded[i] && m.test(name);
      const p = L.t.parent[i];
      if (p >= 0 && matchedUnder[p] >= 0) matchedUnder[i] = matchedUnder[p];
      if (isMatch && matchedUnder[i] < 0) {
        matchedUnder[i] = i;
        if (!L.zoom || (i >= L.zoom && i < L.t.end[L.zoom])) matched += L.v[i];
      }
      if (!picture) {
        ctx.fillStyle = fillColour(L.t, i);
        ctx.fillRect(r[0], r[1], r[2], r[3]);
        const outline = L.t.inlined && L.t.inlined[i] ? outlineRect(r) : null;
        if (outline) {
          // Inlined into its caller: an inner outline (as in the Swift-drawn picture).
          ctx.strokeStyle = LO.inlinedColour;
          ctx.lineWidth = LO.outlineWidth;
          ctx.strokeRect(outline[0], outline[1], outline[2], outline[3]);
        }
        if (w >= LO.minimumLabelWidth) {
          const label = i === 0 ? "all: " + costTitle(cost()).toLowerCase() : name;
          ctx.fillStyle = L.t.folded[i] ? LO.mutedTextColour : LO.textColour;
          const room = w - 2 * LO.labelInset;
          const text = i === 0 || L.t.folded[i] ? fit(label, room) : fitName(label, room);
          ctx.fillText(text, x + LO.labelInset, y + r[3] / 2);
        }
      }
      if (isMatch) {
        ctx.fillStyle = "rgba(213, 51, 255, 0.55)";
        ctx.fillRect(r[0], r[1], r[2], r[3]);
      }
    }
    outlineSelected(L);
    if (hovered >= 0 && L.w[hovered] >= LO.minimumBoxWidth) {
      const r = drawnRect(L.x[hovered], L.y(hovered), L.w[hovered]), o = outlineRect(r) || r;
      ctx.strokeStyle = LO.textColour;
      ctx.lineWidth = LO.outlineWidth;
      ctx.strokeRect(o[0], o[1], o[2], o[3]);
    }
    $("flame-matched").textContent = m ? "Matched: " + percent(matched, L.rootValue) + " (" + formatCost(cost(), matched) + ")" : "";
    $("flame-reset").disabled = !state.zoom;
    $("flame-total").textContent = costTitle(cost()) + ": " + formatCost(cost(), L.rootValue) +
      (state.zoom ? " in " + names[L.t.name[state.zoom]] : "") + (state.range ? " · " + timeline.rangeLabel(state.range) : "");
    $("flame-total").dataset.value = L.rootValue;
    for (const b of document.querySelectorAll("[data-cost]")) {
      b.setAttribute("aria-pressed", String(b.dataset.cost === state.cost));
      b.disabled = Boolean(state.range) && !timeline.costTitle(b.dataset.cost);
    }
    if (timeline) timeline.show(state.range);
    $("flame-dir").value = state.dir;
    $("flame-orient").value = state.orient;
    if (threadSelect) threadSelect.value = state.thread;
    if (windowSelect) windowSelect.value = state.window;
    if (allFramesBox) allFramesBox.checked = state.allFrames;
    showDetails();
    writeHash();
  }

  const fitCache = new Map();
  function fit(text, width) {
    const key = text + "\u0000" + Math.floor(width);
    if (fitCache.has(key)) return fitCache.get(key);
    let result = text;
    if (ctx.measureText(text).width > width) {
      let lo = 0, hi = text.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(text.slice(0, mid) + "…").width <= width) lo = mid; else hi = mid - 1;
      }
      result = lo >= 3 ? text.slice(0, lo) + "…" : "";
    }
    fitCache.set(key, result);
    return result;
  }

  // Function names shorten as people read them (the Swift side's ReadableName): without
  // parameters and return type, then with template/generic arguments elided, then cut
  // in the middle, never at the tail.
  function returnTypeEnd(name) {
    let depth = 0, lastSpace = -1;
    for (let i = 0; i < name.length; i++) {
      const c = name[i];
      if (c === "<") depth++;
      else if (c === ">") depth--;
      else if (c === "(" && depth === 0) break;
      else if (c === " " && depth === 0 && !name.slice(0, i).endsWith("operator")) lastSpace = i;
    }
    return lastSpace >= 0 && lastSpace + 1 < name.length ? lastSpace + 1 : 0;
  }
  function isOperatorSymbol(name, i) {
    let start = i;
    while (start > 0 && "<>=".includes(name[start - 1])) start--;
    return name.slice(0, start).endsWith("operator");
  }
  function withoutParameters(name) {
    const q = name.slice(returnTypeEnd(name));
    let depth = 0, previous = " ";
    for (let i = 0; i < q.length; i++) {
      const c = q[i];
      if (c === "<" && !isOperatorSymbol(q, i)) depth++;
      else if (c === ">" && !isOperatorSymbol(q, i) && previous !== "-") depth = Math.max(0, depth - 1);
      else if (c === "(" && depth === 0 && i > 0 && !(q.slice(0, i).endsWith("operator") && q.startsWith("()(", i))) return q.slice(0, i);
      previous = c;
    }
    return q;
  }
  function elidingArguments(name) {
    let out = "", depth = 0, previous = " ";
    for (let i = 0; i < name.length; i++) {
      const c = name[i];
      const starts = c === "<" && /[A-Za-z0-9_>]/.test(previous) && !isOperatorSymbol(name, i);
      if (depth > 0) {
        if (c === "<") depth++; else if (c === ">") depth--;
        if (depth === 0) out += "…>";
      } else if (starts) { depth = 1; out += "<"; }
      else out += c;
      previous = c;
    }
    return depth > 0 ? out + "…>" : out;
  }
  function readableForms(name) {
    const forms = [name];
    const bare = withoutParameters(name);
    if (bare !== forms[forms.length - 1]) forms.push(bare);
    const elided = elidingArguments(bare);
    if (elided !== forms[forms.length - 1]) forms.push(elided);
    return forms;
  }
  function middleCut(text, limit) {
    const chars = Array.from(text);
    if (chars.length <= limit || limit < 3) return chars.length > limit ? chars.slice(0, limit).join("") : text;
    const kept = limit - 1, head = Math.floor(kept * 2 / 5), tail = kept - head;
    return chars.slice(0, head).join("") + "…" + chars.slice(chars.length - tail).join("");
  }
  function fitName(name, width) {
    const key = "n" + name + "\u0000" + Math.floor(width);
    if (fitCache.has(key)) return fitCache.get(key);
    const forms = readableForms(name);
    let result = forms.find(f => ctx.measureText(f).width <= width);
    if (result === undefined) {
      const shortest = forms[forms.length - 1];
      let lo = 0, hi = Array.from(shortest).length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(middleCut(shortest, mid)).width <= width) lo = mid; else hi = mid - 1;
      }
      result = lo >= 4 ? middleCut(shortest, lo) : fit(shortest, width);
    }
    fitCache.set(key, result);
    return result;
  }

  // ---- hit testing and tooltip ----
  function nodeAt(px, py) {
    const L = current;
    if (!L) return -1;
    for (let i = 0; i < L.t.parent.length; i++) {
      if (L.w[i] < LO.minimumBoxWidth) continue;
      const y = L.y(i);
      if (py >= y && py < y + LO.rowHeight && px >= L.x[i] && px < L.x[i] + L.w[i]) return i;
    }
    return -1;
  }
  function describe(i) {
    const L = current, t = L.t, names = data.strings, c = cost();
    const lines = [];
    lines.push(["name", i === 0 ? "all" : names[t.name[i]]]);
    if (t.loc[i]) lines.push(["location", names[t.loc[i]]]);
    if (t.module[i]) lines.push(["module", names[t.module[i]]]);
    if (t.inlined && t.inlined[i]) lines.push(["inlined", "inlined into its caller (no call of its own; from DWARF inline information)"]);
    lines.push(["cost", costTitle(c) + ": " + formatCost(c, L.v[i]) + " (" + percent(L.v[i], t.values[costIndex(state.cost)][0]) + " of total)"]);
    lines.push(["count", data.callsUnknown ? "allocation calls: not in this input"
      : count(t.values[costIndex("allocations")][i]) + " allocation calls" + (state.range ? " in the range" : "")]);
    if (t.folded[i]) lines.push(["folded", t.folded[i] + " frames, each below " + data.foldedBelow + " of every cost, folded into one box"]);
    lines.push(...moreDetails(L, i));
    return lines;
  }
  function showTip(i, clientX, clientY) {
    const tip = $("flame-tip");
    if (i < 0) { tip.hidden = true; return; }
    tip.textContent = "";
    for (const [cls, text] of describe(i)) {
      const line = document.createElement("div");
      line.className = "tip-" + cls;
      line.textContent = text;
      tip.appendChild(line);
    }
    tip.hidden = false;
    // Fixed to the window, not the scrolling view: the whole tip stays in sight (flipped to
    // the pointer's other side near an edge) and never gives the view scrollbars.
    const pad = 6, gap = 14;
    const right = document.documentElement.clientWidth - pad, bottom = document.documentElement.clientHeight - pad;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    let left = clientX + gap, top = clientY + gap;
    if (left + w > right) left = clientX - gap - w;
    if (top + h > bottom) top = clientY - gap - h;
    tip.style.left = Math.max(pad, Math.min(left, right - w)) + "px";
    tip.style.top = Math.max(pad, Math.min(top, bottom - h)) + "px";
  }
  function pointer(event) {
    const r = canvas.getBoundingClientRect();
    return [((event.clientX - r.left) * W) / r.width, event.clientY - r.top];
  }
  canvas.addEventListener("mousemove", (event) => {
    const [px, py] = pointer(event);
    const i = nodeAt(px, py);
    if (i !== hovered) { hovered = i; draw(); }
    showTip(i, event.clientX, event.clientY);
  });
  canvas.addEventListener("mouseleave", () => { hovered = -1; $("flame-tip").hidden = true; draw(); });
  canvas.addEventListener("click", (event) => {
    const [px, py] = pointer(event);
    const i = nodeAt(px, py);
    if (i < 0) return;
    state.zoom = i === state.zoom ? tree().parent[i] : i;
    if (state.zoom < 0) state.zoom = 0;
    // The clicked function is selected: outlined wherever it is, its callers and callees below.
    state.frame = i === 0 || tree().folded[i] ? "" : data.strings[tree().name[i]];
    hovered = -1;
    pushHistory = true; // a zoom is a history entry: Back undoes it
    draw();
  });

  // ---- controls ----
  for (const b of document.querySelectorAll("[data-cost]")) {
    b.addEventListener("click", () => { state.cost = b.dataset.cost; state.zoom = 0; draw(); });
  }
  $("flame-dir").addEventListener("change", (e) => { state.dir = e.target.value; state.zoom = 0; draw(); });
  $("flame-orient").addEventListener("change", (e) => { state.orient = e.target.value; draw(); });
  $("flame-reset").addEventListener("click", () => { state.zoom = 0; pushHistory = true; draw(); });
  function choose(part, value) {
    state.thread = part === "thread" ? value : "";
    state.window = part === "window" ? value : "";
    state.allFrames = part === "allFrames" ? value : false;
    state.range = part === "range" ? value : "";
    state.zoom = 0;
    draw();
  }
  if (threadSelect) threadSelect.addEventListener("change", (e) => choose("thread", e.target.value));
  if (allFramesBox) allFramesBox.addEventListener("change", (e) => choose("allFrames", e.target.checked));
  for (const link of document.querySelectorAll("[data-window]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      choose("window", link.dataset.window);
      $("flamegraph").scrollIntoView();
    });
  }
  if (windowSelect) windowSelect.addEventListener("change", (e) => choose("window", e.target.value));
  if (timeline) timeline.onSelect((key) => { pushHistory = true; choose("range", key); });
  // Back and Forward restore the state their URL holds (a range is pushed as an entry).
  window.addEventListener("popstate", () => {
    Object.assign(state, defaults);
    readHash();
    search.value = state.search;
    draw();
  });
  const search = $("flame-search");
  search.addEventListener("input", () => { state.search = search.value; draw(); });

  // ---- sortable tables ----
  for (const table of document.querySelectorAll("table.sortable")) {
    table.querySelectorAll("th").forEach((th, column) => {
      th.addEventListener("click", () => {
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const descending = th.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        const key = (row) => {
          const cell = row.cells[column];
          const v = cell.dataset.value;
          return v !== undefined ? Number(v) : cell.textContent.toLowerCase();
        };
        rows.sort((a, b) => {
          const ka = key(a), kb = key(b);
          const order = ka < kb ? -1 : ka > kb ? 1 : 0;
          return descending ? -order : order;
        });
        for (const row of rows) body.appendChild(row);
      });
    });
  }

  // ---- flamegraph details: self cost, colour by module, the selected function ----
  const origins = data.origins.origins;
  const unknownOrigin = origins.findIndex((o) => o.key === "unknown");
  const moduleOrigins = new Map(data.origins.modules.map(([module, origin, colour]) => [module, { origin, colour }]));
  // Frames whose origin is not their module's (runtime code compiled into the program).
  const frameOrigins = new Map(data.origins.frames.map(([name, module, origin]) => [name + ":" + module, origin]));
  function originOf(t, i) {
    const special = frameOrigins.get(t.name[i] + ":" + t.module[i]);
    if (special !== undefined) return special;
    const known = moduleOrigins.get(t.module[i]);
    return known ? known.origin : unknownOrigin;
  }
  function fillColour(t, i) {
    if (i === 0 || t.folded[i]) return LO.aggregateColour;
    if (state.colour !== "module") return data.colours[t.name[i]];
    const special = frameOrigins.get(t.name[i] + ":" + t.module[i]);
    if (special !== undefined) return origins[special].colour;
    const known = moduleOrigins.get(t.module[i]);
    return known ? known.colour : origins[unknownOrigin].colour;
  }
  const threadLabels = new Map(data.threads.map((v) => [v.key, v.label]));
  const isFunction = (t, i) => i > 0 && !t.folded[i];

  // Per function of a tree, for one cost: self (allocated in the function itself), total
  // (with its callees; a stack counts once however often the function recurs in it) and
  // boxes. Exact sums of the tree's values. A box on the deepest row kept also holds the
  // frames cut below it (t.cut), so its self includes them, and says so.
  const functionCache = new WeakMap();
  function functionCosts(t, c) {
    let perTree = functionCache.get(t);
    if (!perTree) functionCache.set(t, (perTree = new Map()));
    const key = c + ":" + state.dir;
    if (perTree.has(key)) return perTree.get(key);
    const v = t.values[c], n = t.parent.length, topDown = state.dir === "top-down";
    const childSum = new Float64Array(n);
    for (let i = 1; i < n; i++) childSum[t.parent[i]] += v[i];
    const fns = new Map(), onPath = new Map(), path = [];
    for (let i = 1; i < n; i++) {
      while (path.length && t.depth[path[path.length - 1]] >= t.depth[i]) {
        const j = path.pop();
        if (isFunction(t, j)) onPath.set(t.name[j], onPath.get(t.name[j]) - 1);
      }
      path.push(i);
      if (!isFunction(t, i)) continue;
      const name = t.name[i];
      let e = fns.get(name);
      if (!e) fns.set(name, (e = { self: 0, total: 0, boxes: 0, cut: false }));
      e.boxes++;
      if (!onPath.get(name)) e.total += v[i];
      onPath.set(name, (onPath.get(name) || 0) + 1);
      if (topDown) {
        e.self += v[i] - childSum[i];
        if (t.cut && t.depth[i] >= t.maxDepth) e.cut = true;
      } else if (t.depth[i] === 1) e.self += v[i];  // bottom-up: the first row allocates
    }
    const result = { fns, childSum };
    perTree.set(key, result);
    return result;
  }
  const share = (c, v, total) => formatCost(c, v) + " (" + percent(v, total) + ")";

  // Tooltip lines after the cost: self, the function everywhere, its code's origin, the thread.
  function moreDetails(L, i) {
    const t = L.t, c = cost(), ci = costIndex(state.cost), total = t.values[ci][0], lines = [];
    if (isFunction(t, i)) {
      const f = functionCosts(t, ci);
      if (state.dir === "top-down") {
        const cut = t.cut && t.depth[i] >= t.maxDepth;
        lines.push(["self", "self: " + share(c, L.v[i] - f.childSum[i], total)
          + (cut ? " with the frames cut below the deepest row" : " in the function itself; the figure above includes its callees")]);
      }
      const e = f.fns.get(t.name[i]);
      if (e && (e.boxes > 1 || state.dir === "bottom-up")) {
        lines.push(["function", "the function in all its " + e.boxes + " box" + (e.boxes === 1 ? "" : "es") + ": self "
          + share(c, e.self, total) + (e.cut ? " (with frames cut below the deepest row)" : "") + ", total " + share(c, e.total, total)]);
      }
      if (t.module[i] || origins[originOf(t, i)].key !== "unknown") lines.push(["origin", "code of " + origins[originOf(t, i)].title]);
    }
    if (state.thread) lines.push(["thread", "thread " + (threadLabels.get(state.thread) || state.thread) + " alone"]);
    if (isFunction(t, i)) lines.push(["hint", "click: zoom in, and list its callers and callees under the graph"]);
    return lines;
  }

  // Colour by function or by module, with a legend of the modules' origins.
  const colourSelect = $("flame-colour"), legend = $("flame-legend");
  if (colourSelect) {
    colourSelect.hidden = !data.origins.modules.length;
    colourSelect.addEventListener("change", (e) => { state.colour = e.target.value; draw(); });
  }
  function buildLegend() {
    const byOrigin = origins.map(() => []);
    for (const [module, origin] of data.origins.modules) byOrigin[origin].push(data.strings[module]);
    for (const [, , origin] of data.origins.frames) if (!byOrigin[origin].length) byOrigin[origin].push("");
    const t = data.trees["top-down"];
    if (t.module.some((m, i) => m === 0 && isFunction(t, i))) byOrigin[unknownOrigin].push("");
    origins.forEach((o, k) => {
      if (!byOrigin[k].length) return;
      const item = document.createElement("span");
      item.className = "key";
      const swatch = document.createElement("i");
      swatch.style.background = o.colour;
      const names = byOrigin[k].filter(Boolean);
      const listed = names.slice(0, 6).join(", ") + (names.length > 6 ? " and " + (names.length - 6) + " more" : "");
      item.append(swatch, o.title + (listed ? ": " + listed : ""));
      if (o.key === "runtime") item.title = "Also allocator, wrapper and runtime functions compiled into other modules (C++ std::, Rust alloc::)";
      legend.appendChild(item);
    });
  }
  if (legend) buildLegend();

  // ---- the selected function: outlined in the graph, its callers and callees, its table rows ----
  const detail = $("flame-detail");
  const selectedId = () => (state.frame ? data.strings.indexOf(state.frame) : -1);
  function outlineSelected(L) {
    const f = selectedId();
    if (f < 0) return;
    ctx.strokeStyle = getComputedStyle(canvas).getPropertyValue("--flame-select").trim() || LO.textColour;
    ctx.lineWidth = 2 * LO.outlineWidth;
    for (let i = 1; i < L.t.parent.length; i++) {
      if (L.t.name[i] !== f || L.t.folded[i] || L.w[i] < LO.minimumBoxWidth) continue;
      const r = drawnRect(L.x[i], L.y(i), L.w[i]), o = outlineRect(r) || r;
      ctx.strokeRect(o[0], o[1], o[2], o[3]);
    }
  }
  // Callers and callees of function f, merged over the tree (heaptrack's caller/callee
  // view): each outermost box of f (no f above it) gives its cost to the box on either side
  // of it in call order. Both lists sum to f's total: the stacks that start at f, and what f
  // allocates itself, are entries of their own.
  const STARTS = -2, SELF = -3, FOLDED = -1;
  function callersAndCallees(t, c, f) {
    const v = t.values[c], topDown = state.dir === "top-down";
    const callers = new Map(), callees = new Map();
    const add = (map, key, value) => { if (value > 0) map.set(key, (map.get(key) || 0) + value); };
    const keyOf = (j) => (t.folded[j] ? FOLDED : t.name[j]);
    const above = topDown ? callers : callees, under = topDown ? callees : callers;
    let total = 0, boxes = 0;
    for (let i = 1; i < t.parent.length; i++) {
      if (t.name[i] !== f || !isFunction(t, i)) continue;
      boxes++;
      let outermost = true;
      for (let a = t.parent[i]; a > 0 && outermost; a = t.parent[a]) if (t.name[a] === f && isFunction(t, a)) outermost = false;
      if (!outermost) continue;
      total += v[i];
      const p = t.parent[i];
      add(above, p > 0 ? keyOf(p) : topDown ? STARTS : SELF, v[i]);
      let below = 0;
      for (let j = i + 1; j < t.end[i]; j++) if (t.parent[j] === i) { add(under, keyOf(j), v[j]); below += v[j]; }
      add(under, topDown ? SELF : STARTS, v[i] - below);
    }
    return { callers, callees, total, boxes };
  }
  function entryName(key, t) {
    const cut = t.cut ? " (or cut below the deepest row kept)" : "";
    if (key === STARTS) return "— stacks start here" + (state.dir === "bottom-up" ? cut : "");
    if (key === SELF) return "— allocated in the function itself" + (state.dir === "top-down" ? cut : "");
    if (key === FOLDED) return "— small frames, folded";
    return data.strings[key];
  }
  function callTable(title, entries, total, t) {
    const box = document.createElement("div");
    const h = document.createElement("h4");
    h.textContent = title;
    const table = document.createElement("table");
    table.className = "calls";
    const head = table.createTHead().insertRow();
    for (const [text, num] of [["function", false], [cost().title, true], ["share", true]]) {
      const th = document.createElement("th");
      th.textContent = text;
      if (num) th.className = "num";
      head.appendChild(th);
    }
    const body = table.createTBody();
    const sorted = [...entries].sort((a, b) => b[1] - a[1] || (data.strings[a[0]] || "").localeCompare(data.strings[b[0]] || ""));
    const limit = 15;
    for (const [key, value] of sorted.slice(0, limit)) {
      const row = body.insertRow();
      const cell = row.insertCell();
      cell.className = "fn";
      if (key >= 0) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "linklike";
        b.textContent = data.strings[key];
        b.title = "select " + data.strings[key];
        b.addEventListener("click", () => { state.frame = data.strings[key]; draw(); });
        cell.appendChild(b);
      } else {
        cell.textContent = entryName(key, t);
        cell.classList.add("muted");
      }
      const v = row.insertCell(), p = row.insertCell();
      v.className = p.className = "num";
      v.textContent = formatCost(cost(), value);
      p.textContent = percent(value, total);
    }
    if (sorted.length > limit) {
      const rest = sorted.slice(limit).reduce((sum, e) => sum + e[1], 0);
      const row = body.insertRow(), cell = row.insertCell();
      cell.className = "muted";
      cell.textContent = (sorted.length - limit) + " more";
      const v = row.insertCell(), p = row.insertCell();
      v.className = p.className = "num";
      v.textContent = formatCost(cost(), rest);
      p.textContent = percent(rest, total);
    }
    if (!sorted.length) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = 3;
      cell.className = "muted";
      cell.textContent = "none";
    }
    box.append(h, table);
    return box;
  }
  let panelKey = null;
  function showDetails() {
    if (colourSelect) colourSelect.value = state.colour;
    if (legend) legend.hidden = state.colour !== "module";
    if (!detail) return;
    const t = current.t, ci = costIndex(state.cost);
    const key = [state.frame, state.cost, state.dir, state.thread, state.window, state.allFrames].join("\u0000");
    if (key === panelKey && detail.tree === t) return;
    panelKey = key;
    detail.tree = t;
    detail.textContent = "";
    detail.hidden = !state.frame;
    if (!state.frame) return;
    const f = selectedId(), c = cost(), total = t.values[ci][0];
    const head = document.createElement("div");
    head.className = "detail-head";
    const name = document.createElement("strong");
    name.textContent = state.frame;
    head.appendChild(name);
    const where = f >= 0 ? t.name.findIndex((n, i) => n === f && isFunction(t, i)) : -1;
    if (where > 0) {
      const module = document.createElement("span");
      module.className = "muted";
      module.textContent = " " + (t.module[where] ? data.strings[t.module[where]] + ", " : "") + "code of " + origins[originOf(t, where)].title;
      head.appendChild(module);
    }
    const actions = document.createElement("span");
    actions.className = "detail-actions";
    const toTable = document.createElement("button");
    toTable.type = "button";
    toTable.id = "flame-to-table";
    const rows = siteRows(state.frame);
    toTable.textContent = rows.length ? "show in table" : "not a site in the tables";
    toTable.disabled = !rows.length;
    toTable.addEventListener("click", () => showInTable(state.frame));
    const clear = document.createElement("button");
    clear.type = "button";
    clear.textContent = "clear selection";
    clear.addEventListener("click", () => { state.frame = ""; draw(); });
    actions.append(toTable, clear);
    head.appendChild(actions);
    detail.appendChild(head);
    const figures = document.createElement("p");
    figures.className = "detail-figures";
    detail.appendChild(figures);
    if (where < 0) {
      figures.textContent = "Not in this flamegraph: folded into a box of small frames, or not in the chosen thread or window.";
      return;
    }
    const calls = callersAndCallees(t, ci, f);
    const e = functionCosts(t, ci).fns.get(f);
    figures.textContent = c.title + " in this flamegraph: total " + share(c, calls.total, total) + ", self " + share(c, e.self, total)
      + (e.cut ? " (with frames cut below the deepest row)" : "") + ", in " + calls.boxes + " box" + (calls.boxes === 1 ? "" : "es")
      + ". Callers and callees merged over the whole graph; shares are of the function's total.";
    const cols = document.createElement("div");
    cols.className = "twocol";
    cols.append(callTable("Callers", calls.callers, calls.total, t), callTable("Callees", calls.callees, calls.total, t));
    detail.appendChild(cols);
  }

  // Table rows of a function's sites (cells the report marks with data-frame).
  const siteRows = (name) => [...document.querySelectorAll("td[data-frame]")].filter((td) => td.dataset.frame === name).map((td) => td.parentElement);
  // "show in table": every row of the function is marked; the one shown is in the table of
  // the graph's cost (leaks for Leaked, temporary for Temporary), else of the top sites.
  function showInTable(name) {
    const rows = siteRows(name);
    for (const row of document.querySelectorAll("tr.linked")) row.classList.remove("linked", "current");
    if (!rows.length) return null;
    for (const row of rows) row.classList.add("linked");
    const preferred = { leaked: "leaks-table", temporary: "temporary-table" }[state.cost] || "sites-table";
    const row = rows.find((r) => r.closest("table").id === preferred) || rows.find((r) => r.closest("table").id) || rows[0];
    const filter = row.closest("table").filterInput;
    if (row.hidden && filter) { filter.value = ""; filter.dispatchEvent(new Event("input")); }
    row.classList.add("current");
    row.scrollIntoView({ block: "center" });
    return row;
  }
  // From a table: select the function, zoom out, and bring its widest box into sight.
  function showInFlamegraph(name) {
    state.frame = name;
    state.zoom = 0;
    hovered = -1;
    draw();
    $("flamegraph").scrollIntoView({ block: "start" });
    const L = current, f = selectedId();
    let best = -1;
    for (let i = 1; i < L.t.parent.length; i++) {
      if (L.t.name[i] === f && isFunction(L.t, i) && (best < 0 || L.w[i] > L.w[best])) best = i;
    }
    if (best > 0) {
      const top = canvas.getBoundingClientRect().top + L.y(best);
      if (top + LO.rowHeight > window.innerHeight) window.scrollBy(0, top - window.innerHeight / 2);
    }
    return best;
  }

  // ---- tables: a filter box on each large one, and a way from each site to the flamegraph ----
  const filterFrom = 10;  // tables with more rows than this get a filter box
  for (const table of document.querySelectorAll("table.sortable, table.edges")) {
    const body = table.tBodies[0];
    if (!body || body.rows.length <= filterFrom) continue;
    const rows = [...body.rows].map((row) => [row, row.textContent.toLowerCase()]);
    const box = document.createElement("div");
    box.className = "table-filter";
    const input = document.createElement("input");
    input.type = "search";
    input.placeholder = "filter rows (any text, stacks included)";
    input.setAttribute("aria-label", "filter the table's rows");
    const shown = document.createElement("span");
    shown.className = "muted";
    box.append(input, shown);
    const wrapper = table.parentElement.classList.contains("scroll") ? table.parentElement : table;
    wrapper.parentElement.insertBefore(box, wrapper);
    table.filterInput = input;
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLowerCase();
      let count = 0;
      for (const [row, text] of rows) {
        row.hidden = Boolean(needle) && !text.includes(needle);
        if (!row.hidden) count++;
      }
      shown.textContent = needle ? count + " of " + rows.length + " rows" : "";
    });
  }
  for (const cell of document.querySelectorAll("td[data-frame]")) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "to-flame";
    b.textContent = "flamegraph";
    b.title = "select " + cell.dataset.frame + " in the flamegraph";
    b.addEventListener("click", (event) => { event.preventDefault(); showInFlamegraph(cell.dataset.frame); });
    const summary = cell.querySelector("summary");
    (summary || cell).appendChild(b);
  }

  // ---- self-test parts of the features above, run after the page's self-test ----
  const selftestParts = [];
  // The style policy: the page's own style attributes apply (a heat cell's background), one
  // that is not listed by digest (#injected, put in by the browser test) does not.
  selftestParts.push((result) => {
    const injected = document.getElementById("injected");
    result.injectedDisplay = injected ? getComputedStyle(injected).display : null;
    const cell = document.querySelector("td.num[style]");
    result.heatCellBackground = cell ? getComputedStyle(cell).backgroundColor : null;
  });
  // One layout: the page's boxes, drawn rectangles, fills and outlines of the main trees, for
  // every cost, two widths and both orientations (the Swift test lays out the same).
  selftestParts.push((result) => {
    const cases = [];
    for (const dir of ["top-down", "bottom-up"]) {
      const t = data.trees[dir];
      data.costs.forEach((c, ci) => {
        if (!(t.values[ci][0] > 0)) return;
        for (const width of [LO.width, 640]) {
          for (const icicle of [true, false]) {
            const b = boxes(t, t.values[ci], width, 0, icicle), rects = [], fills = [], outlines = [];
            for (let i = 0; i < t.parent.length; i++) {
              if (b.w[i] < LO.minimumBoxWidth) continue;
              const r = drawnRect(b.x[i], b.y[i], b.w[i]);
              rects.push(r.map(String));
              fills.push(fillColour(t, i));
              const o = t.inlined && t.inlined[i] ? outlineRect(r) : null;
              if (o) outlines.push(o.map(String));
            }
            // Numbers as their shortest exact text (JSON readers may round the last bit).
            const text = (a) => [...a].map(String);
            cases.push({ dir, cost: c.key, width, icicle, x: text(b.x), w: text(b.w), y: text(b.y), rows: b.rows, rects, fills, outlines });
          }
        }
      });
    }
    result.layoutCheck = { layout: LO, cases };
  });
  // The canvas pixel at the middle of the widest box of a function, as #rrggbb.
  function pixelOf(name) {
    const L = current, f = data.strings.indexOf(name);
    let best = -1;
    for (let i = 1; i < L.t.parent.length; i++) if (L.t.name[i] === f && isFunction(L.t, i) && (best < 0 || L.w[i] > L.w[best])) best = i;
    if (best < 0) return null;
    const ratio = canvas.width / W;
    const at = (x, y) => [...ctx.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data.slice(0, 3)]
      .map((v) => v.toString(16).padStart(2, "0")).join("");
    // Inside the box's right end, clear of its label; on the middle of an outline's stroke.
    const y = L.y(best) + (LO.rowHeight - LO.rowGap) / 2;
    return { box: best, fill: "#" + at(L.x[best] + L.w[best] - LO.boxGap - LO.labelInset / 2, y), edge: "#" + at(L.x[best] + LO.outlineWidth / 2, y) };
  }
  function hoverTip(name) {
    const L = current, f = data.strings.indexOf(name);
    const i = L.t.name.findIndex((n, k) => n === f && isFunction(L.t, k) && L.w[k] >= LO.minimumBoxWidth);
    if (i < 0) return null;
    const r = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: r.left + ((L.x[i] + L.w[i] / 2) * r.width) / W,
                                                      clientY: r.top + L.y(i) + LO.rowHeight / 2, bubbles: true }));
    const tip = Object.fromEntries([...$("flame-tip").children].map((line) => [line.className.slice(4), line.textContent]));
    canvas.dispatchEvent(new MouseEvent("mouseleave", { bubbles: true }));
    return tip;
  }
  // Flamegraph details: self and total in the tooltip, the thread, colour by module, reflow.
  selftestParts.push((result) => {
    const r = {};
    Object.assign(state, { search: "", zoom: 0, thread: "", window: "", allFrames: false, frame: "", colour: "function" });
    search.value = "";
    draw();
    const names = [...new Set(data.trees["top-down"].name.filter((n, i) => isFunction(data.trees["top-down"], i)).map((n) => data.strings[n]))];
    r.tips = Object.fromEntries(names.map((name) => [name, hoverTip(name)]));
    r.functionColours = Object.fromEntries(names.map((name) => [name, pixelOf(name)]));
    r.pictureShownByFunction = !img.hidden;
    r.legendHeightByFunction = legend.getBoundingClientRect().height;
    colourSelect.value = "module";
    colourSelect.dispatchEvent(new Event("change"));
    r.moduleColours = Object.fromEntries(names.map((name) => [name, pixelOf(name)]));
    r.pictureShownByModule = !img.hidden;
    r.legend = legend.hidden ? null : [...legend.children].map((k) => k.textContent);
    r.hash = location.hash;
    colourSelect.value = "function";
    colourSelect.dispatchEvent(new Event("change"));
    if (threadSelect) {
      threadSelect.value = data.threads[data.threads.length - 1].key;
      threadSelect.dispatchEvent(new Event("change"));
      const t = tree(), i = t.name.findIndex((n, k) => isFunction(t, k));
      r.threadTip = i > 0 ? hoverTip(data.strings[t.name[i]]) : null;
      threadSelect.value = "";
      threadSelect.dispatchEvent(new Event("change"));
    }
    // Reflow: the page narrows (as when the window does), the browser sends resize, and the
    // graph takes the view's new width; then back.
    const before = { view: view.clientWidth, canvas: canvas.getBoundingClientRect().width };
    document.body.style.maxWidth = "700px";
    window.dispatchEvent(new Event("resize"));
    const narrow = { view: view.clientWidth, canvas: canvas.getBoundingClientRect().width, scroll: view.scrollWidth };
    document.body.style.maxWidth = "";
    window.dispatchEvent(new Event("resize"));
    r.reflow = { before, narrow, after: { view: view.clientWidth, canvas: canvas.getBoundingClientRect().width } };
    result.details = r;
  });
  // Tables that lead somewhere: filter, table → flamegraph, flamegraph → table, callers and callees.
  selftestParts.push((result) => {
    const r = {};
    const sites = $("sites-table");
    if (sites && sites.filterInput) {
      const cell = sites.querySelector("td[data-frame]");
      sites.filterInput.value = cell.dataset.frame;
      sites.filterInput.dispatchEvent(new Event("input"));
      r.filter = { needle: cell.dataset.frame, rows: sites.tBodies[0].rows.length,
                   shown: [...sites.tBodies[0].rows].filter((row) => !row.hidden).length,
                   status: sites.filterInput.nextElementSibling.textContent };
    }
    // The first site whose function has several boxes (callers to merge), else the first.
    const t0 = data.trees["top-down"], boxCount = (name) => t0.name.filter((n, i) => isFunction(t0, i) && data.strings[n] === name).length;
    const buttons = [...document.querySelectorAll("#sites-table td[data-frame] button.to-flame")];
    const button = buttons.find((b) => boxCount(b.closest("td").dataset.frame) > 1) || buttons[0];
    if (button) {
      const name = button.closest("td").dataset.frame;
      window.scrollTo(0, document.documentElement.scrollHeight);
      button.click();
      const box = pixelOf(name), L = current, c = canvas.getBoundingClientRect();
      r.toFlame = { name, selected: state.frame, hash: location.hash, edge: box && box.edge, fill: box && box.fill,
                    select: getComputedStyle(canvas).getPropertyValue("--flame-select").trim(),
                    boxInSight: box ? c.top + L.y(box.box) >= 0 && c.top + L.y(box.box) + LO.rowHeight <= window.innerHeight : false,
                    panel: detail.hidden ? null : detail.textContent };
      const calls = (title) => {
        const h = [...detail.querySelectorAll("h4")].find((e) => e.textContent === title);
        return h ? [...h.nextElementSibling.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.textContent)) : null;
      };
      r.callers = calls("Callers");
      r.callees = calls("Callees");
      // Back from the graph: a real click on the function's box selects it, then "show in table".
      state.frame = "";
      draw();
      const i = box ? box.box : -1;
      if (i > 0) {
        canvas.dispatchEvent(new MouseEvent("click", { clientX: c.left + ((L.x[i] + L.w[i] / 2) * c.width) / W,
                                                        clientY: c.top + L.y(i) + LO.rowHeight / 2, bubbles: true }));
        r.clickSelected = state.frame;
        const toTable = $("flame-to-table");
        r.toTableEnabled = toTable && !toTable.disabled;
        if (toTable) toTable.click();
        const row = document.querySelector("tr.linked.current");
        const b = row ? row.getBoundingClientRect() : null;
        r.toTable = row ? { table: row.closest("table").id, frame: row.querySelector("td[data-frame]").dataset.frame, hidden: row.hidden,
                            inSight: b.top >= 0 && b.bottom <= window.innerHeight } : null;
        $("flame-reset").click();
      }
    }
    result.tables = r;
  });

  readHash();
  search.value = state.search;
  draw();
  // The graph reflows to the view's width (browsers send resize at most once a frame).
  window.addEventListener("resize", () => { if (graphWidth() !== W) draw(); });

  // ---- self-test, for the browser tests: #selftest runs hover, search and zoom through
  // real DOM events and writes what it saw into #selftest-result. ----
  if (selftest) {
    const result = {};
    const L = current;
    let widest = -1;
    for (let i = 1; i < L.t.parent.length; i++) if (!L.t.folded[i] && (widest < 0 || L.w[i] > L.w[widest])) widest = i;
    const r = canvas.getBoundingClientRect();
    const at = (i) => ({ clientX: r.left + ((L.x[i] + L.w[i] / 2) * r.width) / W, clientY: r.top + L.y(i) + LO.rowHeight / 2, bubbles: true });
    result.pictureShown = !img.hidden && img.src.startsWith("data:image/png;base64,");
    canvas.dispatchEvent(new MouseEvent("mousemove", at(widest)));
    result.hoverName = data.strings[L.t.name[widest]];
    result.tooltip = $("flame-tip").hidden ? "" : $("flame-tip").textContent;
    // An inlined frame's tooltip says so; long names shorten as the Swift side's do.
    const inlined = L.t.inlined ? L.t.inlined.findIndex((v, i) => v && L.w[i] >= 3) : -1;
    if (inlined > 0) {
      canvas.dispatchEvent(new MouseEvent("mousemove", at(inlined)));
      result.inlinedTip = $("flame-tip").textContent;
      canvas.dispatchEvent(new MouseEvent("mousemove", at(widest)));
    }
    // Geometry: a person must see the whole tip. Hover the widest box, the rightmost box and
    // the deepest box with the graph in sight; each tip must lie inside the window, unclipped
    // by any scrolling box around it, and hovering must not add scrollbars anywhere.
    view.scrollIntoView({ block: "center" });
    const visibleShare = (el) => {
      const b = el.getBoundingClientRect();
      let l = Math.max(b.left, 0), t = Math.max(b.top, 0);
      let rr = Math.min(b.right, document.documentElement.clientWidth), bb = Math.min(b.bottom, document.documentElement.clientHeight);
      if (getComputedStyle(el).position !== "fixed") {
        for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
          const cs = getComputedStyle(a);
          if (cs.overflowX === "visible" && cs.overflowY === "visible") continue;
          const ab = a.getBoundingClientRect();
          l = Math.max(l, ab.left); t = Math.max(t, ab.top); rr = Math.min(rr, ab.right); bb = Math.min(bb, ab.bottom);
        }
      }
      const area = b.width * b.height;
      return area > 0 ? Math.max(0, rr - l) * Math.max(0, bb - t) / area : 0;
    };
    const probe = (i) => {
      const c = canvas.getBoundingClientRect();
      const point = { clientX: c.left + ((L.x[i] + Math.min(L.w[i], 40) / 2) * c.width) / W,
                      clientY: c.top + L.y(i) + LO.rowHeight / 2, bubbles: true };
      if (L.w[i] > 40) point.clientX = c.left + ((L.x[i] + L.w[i] - 4) * c.width) / W;
      const before = [view.scrollWidth, view.scrollHeight, document.documentElement.scrollWidth, document.documentElement.scrollHeight];
      canvas.dispatchEvent(new MouseEvent("mousemove", point));
      const tip = $("flame-tip"), b = tip.getBoundingClientRect();
      const after = [view.scrollWidth, view.scrollHeight, document.documentElement.scrollWidth, document.documentElement.scrollHeight];
      return { name: data.strings[L.t.name[i]], shown: !tip.hidden, visible: Number(visibleShare(tip).toFixed(3)),
               insideWindow: b.left >= 0 && b.top >= 0 && b.right <= document.documentElement.clientWidth && b.bottom <= document.documentElement.clientHeight,
               scrollbarsAdded: after.some((v, k) => v > before[k]) };
    };
    let rightmost = -1, deepest = -1;
    for (let i = 1; i < L.t.parent.length; i++) {
      if (L.w[i] < 3) continue;
      if (rightmost < 0 || L.x[i] + L.w[i] > L.x[rightmost] + L.w[rightmost] + 0.5
          || (L.x[i] + L.w[i] >= L.x[rightmost] + L.w[rightmost] - 0.5 && L.t.depth[i] > L.t.depth[rightmost])) rightmost = i;
      if (deepest < 0 || L.t.depth[i] >= L.t.depth[deepest]) deepest = i;
    }
    result.tipGeometry = [widest, rightmost, deepest].filter((i) => i > 0).map(probe);
    canvas.dispatchEvent(new MouseEvent("mouseleave", { bubbles: true }));
    window.scrollTo(0, 0);
    result.readableForms = readableForms("std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)(int), int> > >::_M_run()");
    state.search = result.hoverName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    draw();
    result.matched = $("flame-matched").textContent;
    const viewTop = view.getBoundingClientRect().top, statusHeight = ($("flame-status") || $("flame-total")).getBoundingClientRect().height;
    const historyBefore = history.length;
    canvas.dispatchEvent(new MouseEvent("click", at(widest)));
    result.zoom = state.zoom;
    result.zoomHistory = history.length - historyBefore;
    // Zooming must not move the graph under the pointer (the total line stays one line).
    result.zoomShift = view.getBoundingClientRect().top - viewTop;
    result.statusGrew = ($("flame-status") || $("flame-total")).getBoundingClientRect().height - statusHeight;
    result.zoomedTotal = $("flame-total").textContent;
    result.hash = location.hash;
    const pixel = ctx.getImageData(Math.floor(canvas.width / 2), Math.floor(LO.rowHeight / 2), 1, 1).data;
    result.drawnAfterZoom = pixel[3] > 0;
    $("flame-reset").click();
    result.zoomAfterReset = state.zoom;
    if (threadSelect) {
      const before = $("flame-total").textContent;
      threadSelect.value = data.threads[0].key;
      threadSelect.dispatchEvent(new Event("change"));
      result.thread = { selected: state.thread, total: $("flame-total").textContent, allTotal: before,
                        pictureHidden: img.hidden, hash: location.hash, viewHeight: view.clientHeight };
      threadSelect.value = "";
      threadSelect.dispatchEvent(new Event("change"));
    }
    if (windowSelect) {
      const before = $("flame-total").textContent;
      windowSelect.value = "peak";
      windowSelect.dispatchEvent(new Event("change"));
      result.window = { selected: state.window, total: $("flame-total").textContent, allTotal: before,
                        pictureHidden: img.hidden, hash: location.hash, viewHeight: view.clientHeight,
                        options: windowSelect.options.length };
      windowSelect.value = "";
      windowSelect.dispatchEvent(new Event("change"));
      const link = document.querySelector("[data-window]");
      link.click();
      result.window.linkSelects = windowSelect.value === link.dataset.window && state.window === link.dataset.window;
      windowSelect.value = "";
      windowSelect.dispatchEvent(new Event("change"));
    }
    const sortable = document.querySelector("table.sortable th");
    if (sortable) { sortable.click(); result.sorted = sortable.getAttribute("aria-sort"); }
    if (allFramesBox) {
      const filteredNodes = tree().parent.length;
      allFramesBox.click();
      result.allFrames = { checked: state.allFrames, nodes: tree().parent.length, filteredNodes,
                           pictureHidden: img.hidden, hash: location.hash, viewHeight: view.clientHeight };
      allFramesBox.click();
    }
    const hits = document.querySelectorAll("#ownership .hit");
    if (hits.length) {
      const node = document.querySelector("#ownership .hit.node");
      const edge = document.querySelector("#ownership a.hit.edge");
      node.scrollIntoView({ block: "center" });
      const box = node.getBoundingClientRect();
      const svg = document.querySelector("#ownership .graph svg").getBoundingClientRect();
      result.ownership = {
        hits: hits.length,
        titled: [...hits].every((h) => h.title.length > 0),
        nodeTitle: node.title,
        onTop: document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === node,
        insidePicture: box.width > 4 && box.height > 4 && box.left >= svg.left - 1 && box.right <= svg.right + 1
          && box.top >= svg.top - 1 && box.bottom <= svg.bottom + 1,
        edgeRow: edge ? Boolean(document.querySelector(edge.getAttribute("href"))) : null,
      };
      // The legend's colours are the picture's: the lost-site key's colour is a stroke drawn.
      const key = document.querySelector("#ownership .node-key");
      const strokes = new Set([...document.querySelectorAll("#ownership .graph svg path, #ownership .graph svg rect")].map((p) => getComputedStyle(p).stroke));
      result.ownership.lostKey = key ? getComputedStyle(key).borderTopColor : null;
      result.ownership.lostKeyDrawn = key ? strokes.has(result.ownership.lostKey) : null;
      result.ownership.edgeKeys = [...document.querySelectorAll("#ownership .edge-key")].map((k) => getComputedStyle(k).borderTopColor);
      window.scrollTo(0, 0);
    }
    // Colours a person sees: the pressed cost button against the others, and whether each
    // picture is shown on light paper in a dark page (a filter that inverts it, or not).
    const buttons = [...document.querySelectorAll("[data-cost]")];
    const pressed = buttons.find((b) => b.getAttribute("aria-pressed") === "true");
    const other = buttons.find((b) => b.getAttribute("aria-pressed") !== "true");
    result.costButtons = { pressed: pressed && getComputedStyle(pressed).backgroundColor, other: other && getComputedStyle(other).backgroundColor };
    result.pictures = [...document.querySelectorAll("figure svg, figure img, #flame-view img, #flame-view canvas, .graph svg")]
      .map((el) => ({ filter: getComputedStyle(el).filter, paper: (() => {
        for (let a = el; a; a = a.parentElement) { const bg = getComputedStyle(a).backgroundColor; if (bg !== "rgba(0, 0, 0, 0)") return bg; }
        return "";
      })() }));
    // Widths: nothing wider than the page, and the flamegraph as wide as its view.
    const page = document.documentElement;
    result.widths = { page: page.clientWidth, scroll: page.scrollWidth, view: view.clientWidth, viewScroll: view.scrollWidth,
                      graph: W, canvas: canvas.getBoundingClientRect().width,
                      wider: [...document.querySelectorAll("body *")].filter((el) => {
                        // Beyond the page's right edge and not inside a box that scrolls it (a wide picture).
                        if (el.getBoundingClientRect().right <= page.clientWidth + 0.5) return false;
                        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return false;
                        return true;
                      })
                        .slice(0, 5).map((el) => el.tagName + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className : "")) };
    const leakTable = [...document.querySelectorAll("#tables h3")].find((h) => h.textContent === "Leaks by site");
    if (leakTable) {
      const table = $("leaks-table");
      result.leaks = { rows: table.tBodies[0].rows.length, height: table.getBoundingClientRect().height, open: table.querySelectorAll("details[open]").length };
    }
    result.cards = Object.fromEntries([...document.querySelectorAll(".card")].map((c) =>
      [c.querySelector(".label").textContent, c.querySelector(".value").textContent + " | " + (c.querySelector(".detail") || { textContent: "" }).textContent]));
    const timelineSvg = document.querySelector("#timeline figure svg");
    result.timelineHeight = timelineSvg ? timelineSvg.getBoundingClientRect().height : 0;
    result.timelineNote = [...document.querySelectorAll("#timeline p")].map((p) => p.textContent).join(" ");
    // Prose under the flamegraph: what is shown before any click (a line or two), and the
    // edge table's rule cells (a rule is said once, above the table, not on every row).
    const under = [];
    for (let el = view.nextElementSibling; el; el = el.nextElementSibling) if (el !== detail) under.push(el);
    result.flameProse = { height: under.reduce((h, el) => h + el.getBoundingClientRect().height, 0),
                          lineHeight: parseFloat(getComputedStyle(under[0] || view).lineHeight) || 16 };
    const ruleCells = [...document.querySelectorAll("table.edges td.rule")];
    result.edgeRules = { rows: ruleCells.length, longest: Math.max(0, ...ruleCells.map((c) => c.textContent.length)),
                         distinct: new Set(ruleCells.map((c) => c.textContent)).size };
    result.background = getComputedStyle(document.documentElement).backgroundColor;
    for (const part of selftestParts) part(result);
    const out = document.createElement("pre");
    out.id = "selftest-result";
    out.textContent = JSON.stringify(result);
    document.body.appendChild(out);
  }
})();
