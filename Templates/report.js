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
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has("cost") && costIndex(params.get("cost")) >= 0) state.cost = params.get("cost");
    if (params.get("dir") === "bottom-up") state.dir = "bottom-up";
    if (params.get("orient") === "flame") state.orient = "flame";
    if (params.has("zoom")) state.zoom = Math.max(0, parseInt(params.get("zoom"), 10) || 0);
    if (params.has("search")) state.search = params.get("search");
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

  // ---- layout: the same arithmetic as memscope's FlameLayout ----
  function layout() {
    const t = tree();
    const v = t.values[costIndex(state.cost)];
    const n = t.parent.length;
    const zoom = state.zoom < n ? state.zoom : 0;
    const x = new Float64Array(n), w = new Float64Array(n), next = new Float64Array(n);
    const rootValue = v[zoom];
    const scale = rootValue > 0 ? W / rootValue : 0;
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
      for (let a = t.parent[zoom]; a >= 0; a = t.parent[a]) { x[a] = 0; w[a] = W; }
    }
    // Rows down to the deepest visible box, as FlameLayout.visibleRows computes them.
    let deepest = 0;
    for (let i = 0; i < n; i++) if (w[i] >= 0.3 && t.depth[i] > deepest) deepest = t.depth[i];
    const rows = deepest + 1;
    const y = (i) => (state.orient === "icicle" ? t.depth[i] : rows - 1 - t.depth[i]) * data.rowHeight;
    return { t, v, x, w, y, rows, zoom, rootValue };
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
  let W = data.width;
  function graphWidth() {
    const available = Math.floor(view.clientWidth);
    if (available >= data.width && available <= data.width * 1.1) return data.width;
    return Math.max(160, available);
  }

  function draw() {
    // A range has no peak or temporary figures: it opens on bytes allocated in it.
    if (state.range && !timeline.costTitle(state.cost)) state.cost = "allocated";
    W = graphWidth();
    const L = layout();
    current = L;
    const height = L.rows * data.rowHeight;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(W * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = W + "px";
    canvas.style.height = height + "px";
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, W, height);
    const picture = usePicture() && W === data.width;
    img.hidden = !picture;
    // Over the picture the canvas only draws highlights; alone it gives the view its height.
    canvas.style.position = picture ? "absolute" : "relative";
    if (picture) {
      const src = data.images[state.cost] === "initial" ? initialPicture : data.images[state.cost];
      if (img.getAttribute("src") !== src) img.src = src;
      img.style.width = data.width + "px";
      img.style.height = height + "px";
    }
    const m = matcher();
    const names = data.strings;
    let matched = 0;
    const matchedUnder = new Int32Array(L.t.parent.length).fill(-1);
    ctx.font = data.fontSize + "px 'DejaVu Sans', sans-serif";
    ctx.textBaseline = "middle";
    for (let i = 0; i < L.t.parent.length; i++) {
      const w = L.w[i];
      if (w < 0.3) continue;
      const x = L.x[i], y = L.y(i);
      const name = names[L.t.name[i]];
      const isMatch = m && i > 0 && !L.t.folded[i] && m.test(name);
      const p = L.t.parent[i];
      if (p >= 0 && matchedUnder[p] >= 0) matchedUnder[i] = matchedUnder[p];
      if (isMatch && matchedUnder[i] < 0) {
        matchedUnder[i] = i;
        if (!L.zoom || (i >= L.zoom && i < L.t.end[L.zoom])) matched += L.v[i];
      }
      if (!picture) {
        ctx.fillStyle = i === 0 || L.t.folded[i] ? data.aggregateColour : data.colours[L.t.name[i]];
        ctx.fillRect(x, y, Math.max(w - 0.5, 0.3), data.rowHeight - 1);
        if (L.t.inlined && L.t.inlined[i] && w >= 3) {
          // Inlined into its caller: an inner outline (as in the Swift-drawn picture).
          ctx.strokeStyle = data.inlinedColour;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x + 0.75, y + 0.75, w - 2, data.rowHeight - 2.5);
        }
        if (w >= 24) {
          const label = i === 0 ? "all: " + costTitle(cost()).toLowerCase() : name;
          ctx.fillStyle = L.t.folded[i] ? "#59636e" : "#1f2328";
          const text = i === 0 || L.t.folded[i] ? fit(label, w - 6) : fitName(label, w - 6);
          ctx.fillText(text, x + 3, y + (data.rowHeight - 1) / 2);
        }
      }
      if (isMatch) {
        ctx.fillStyle = "rgba(213, 51, 255, 0.55)";
        ctx.fillRect(x, y, Math.max(w - 0.5, 0.3), data.rowHeight - 1);
      }
    }
    if (hovered >= 0 && L.w[hovered] >= 0.3) {
      ctx.strokeStyle = "#1f2328";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(L.x[hovered] + 0.75, L.y(hovered) + 0.75, Math.max(L.w[hovered] - 1.5, 0.5), data.rowHeight - 2.5);
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
      if (L.w[i] < 0.3) continue;
      const y = L.y(i);
      if (py >= y && py < y + data.rowHeight && px >= L.x[i] && px < L.x[i] + L.w[i]) return i;
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
    hovered = -1;
    draw();
  });

  // ---- controls ----
  for (const b of document.querySelectorAll("[data-cost]")) {
    b.addEventListener("click", () => { state.cost = b.dataset.cost; state.zoom = 0; draw(); });
  }
  $("flame-dir").addEventListener("change", (e) => { state.dir = e.target.value; state.zoom = 0; draw(); });
  $("flame-orient").addEventListener("change", (e) => { state.orient = e.target.value; draw(); });
  $("flame-reset").addEventListener("click", () => { state.zoom = 0; draw(); });
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

  readHash();
  search.value = state.search;
  draw();
  let resizing = false;
  window.addEventListener("resize", () => {
    if (resizing) return;
    resizing = true;
    requestAnimationFrame(() => { resizing = false; if (graphWidth() !== W) draw(); });
  });

  // ---- self-test, for the browser tests: #selftest runs hover, search and zoom through
  // real DOM events and writes what it saw into #selftest-result. ----
  if (selftest) {
    const result = {};
    const L = current;
    let widest = -1;
    for (let i = 1; i < L.t.parent.length; i++) if (!L.t.folded[i] && (widest < 0 || L.w[i] > L.w[widest])) widest = i;
    const r = canvas.getBoundingClientRect();
    const at = (i) => ({ clientX: r.left + ((L.x[i] + L.w[i] / 2) * r.width) / W, clientY: r.top + L.y(i) + data.rowHeight / 2, bubbles: true });
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
                      clientY: c.top + L.y(i) + data.rowHeight / 2, bubbles: true };
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
    canvas.dispatchEvent(new MouseEvent("click", at(widest)));
    result.zoom = state.zoom;
    // Zooming must not move the graph under the pointer (the total line stays one line).
    result.zoomShift = view.getBoundingClientRect().top - viewTop;
    result.statusGrew = ($("flame-status") || $("flame-total")).getBoundingClientRect().height - statusHeight;
    result.zoomedTotal = $("flame-total").textContent;
    result.hash = location.hash;
    const pixel = ctx.getImageData(Math.floor(canvas.width / 2), Math.floor(data.rowHeight / 2), 1, 1).data;
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
      const strokes = new Set([...document.querySelectorAll("#ownership .graph svg path")].map((p) => getComputedStyle(p).stroke));
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
      const table = leakTable.nextElementSibling.nextElementSibling;
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
    for (let el = view.nextElementSibling; el; el = el.nextElementSibling) under.push(el);
    result.flameProse = { height: under.reduce((h, el) => h + el.getBoundingClientRect().height, 0),
                          lineHeight: parseFloat(getComputedStyle(under[0] || view).lineHeight) || 16 };
    const ruleCells = [...document.querySelectorAll("table.edges td.rule")];
    result.edgeRules = { rows: ruleCells.length, longest: Math.max(0, ...ruleCells.map((c) => c.textContent.length)),
                         distinct: new Set(ruleCells.map((c) => c.textContent)).size };
    result.background = getComputedStyle(document.documentElement).backgroundColor;
    const out = document.createElement("pre");
    out.id = "selftest-result";
    out.textContent = JSON.stringify(result);
    document.body.appendChild(out);
  }
})();
