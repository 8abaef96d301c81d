// The workbook's pages: theme, warm-up banner, lesson Run buttons and the
// exercise workbench (editor, checks streamed over the websocket, hints,
// reset, solution). No framework: the server renders the pages.
"use strict";

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// ---- the session's token ----
// The printed URL's token arrives in the address's fragment (the server moved
// it there); it is kept in localStorage, which belongs to this origin alone
// (port included), unlike a cookie, and sent with every API request and the
// websocket. The page cookie only opens pages.
(function takeToken() {
  const m = location.hash.match(/(?:^#|&)token=([0-9a-f]+)/);
  if (m) {
    localStorage.setItem("workbook-token", m[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }
})();
function token() { return localStorage.getItem("workbook-token") || ""; }

async function api(path, body) {
  const headers = { "X-Workbook-Token": token() };
  const opts = body === undefined ? { headers } : {
    method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const resp = await fetch(path, opts);
  let data = {};
  try { data = await resp.json(); } catch (_) { /* empty body */ }
  if (!resp.ok) throw new Error(data.error || `${path}: ${resp.status} ${resp.statusText}`);
  return data;
}

// inline renders the inline Markdown of a message from the runner — its
// `code spans` — as DOM nodes, so that no raw backtick reaches the page.
// (Hints and task texts are rendered by the server; messages arrive as
// text.) Everything else stays text: no HTML is ever parsed.
function inline(text) {
  const frag = document.createDocumentFragment();
  const parts = String(text).split(/(`[^`\n]+`)/);
  for (const p of parts) {
    if (p.length > 2 && p.startsWith("`") && p.endsWith("`")) frag.append(el("code", {}, p.slice(1, -1)));
    else if (p) frag.append(p);
  }
  return frag;
}

// ---- scrolling regions a keyboard can reach ----
// A code block or table wider than its column scrolls sideways; one that
// does gets a tab stop and a name, so that the keyboard can scroll it too.
// Blocks that fit get none: a lesson is not forty tab stops long.
const scrollerNames = [
  ["pre.output", "Output"],
  [".program pre", "Program"],
  ["pre", "Code"],
  [".table-wrap", "Table"],
  [".diff-wrap", "Diff"],
];
function markScrollers() {
  for (const [sel, name] of scrollerNames) {
    for (const e of document.querySelectorAll(sel)) {
      if (e.closest(".cm-editor, .output-pane") || e.classList.contains("mermaid")) continue;
      const scrolls = e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
      if (scrolls && !e.hasAttribute("tabindex")) {
        e.tabIndex = 0;
        e.dataset.scroller = "auto";
        if (!e.hasAttribute("role")) e.setAttribute("role", "group");
        if (!e.hasAttribute("aria-label")) e.setAttribute("aria-label", name + " (scrolls)");
      } else if (!scrolls && e.dataset.scroller === "auto") {
        e.removeAttribute("tabindex");
        delete e.dataset.scroller;
      }
    }
  }
}
let scrollersQueued = false;
function queueScrollers() {
  if (scrollersQueued) return;
  scrollersQueued = true;
  requestAnimationFrame(() => { scrollersQueued = false; markScrollers(); });
}
// Tables of the prose scroll on their own instead of widening the page.
for (const t of document.querySelectorAll(".prose table")) {
  const wrap = el("div", { class: "table-wrap" });
  t.replaceWith(wrap);
  wrap.append(t);
}
markScrollers();
addEventListener("resize", queueScrollers);

async function sha256(text) {
  const buf = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

// ---- theme ----
$("#theme")?.addEventListener("click", () => {
  const t = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = t;
  localStorage.setItem("theme", t);
  drawDiagrams();
});

// ---- diagrams (lessons), drawn by mermaid in the page's theme ----
function drawDiagrams() {
  if (!window.mermaid) return;
  const dark = document.documentElement.dataset.theme === "dark";
  for (const pre of document.querySelectorAll("pre.mermaid")) {
    if (pre.dataset.src === undefined) pre.dataset.src = pre.textContent;
    pre.textContent = pre.dataset.src;
    pre.removeAttribute("data-processed");
  }
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  mermaid.run({ querySelector: "pre.mermaid" }).catch((err) => console.error("diagram:", err));
}
drawDiagrams();

// ---- the build cache warm-up, shown while it runs ----
async function pollWarm() {
  const banner = $("#warm");
  try {
    const st = await api("/api/status");
    if (st.warm) {
      banner.hidden = false;
      banner.textContent = `Warming the build cache in the background: ${st.warm.done} of ${st.warm.total} done. Checks do not wait for it.`;
      setTimeout(pollWarm, 1000);
      return;
    }
    banner.hidden = true;
  } catch (_) { /* the server is gone; the page still reads */ }
}
if ($("#warm")) pollWarm();

// ---- the workshop room's Join box (home page) ----
// It takes the lead's whole join line ("workbook join URL CODE") or its parts.
$("#room-join")?.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  let url = f.url.value.trim(), code = f.code.value.trim();
  const m = url.match(/(https?:\/\/\S+)\s+(\S+)\s*$/);
  if (m) { url = m[1]; code = code || m[2]; }
  try {
    const res = await api("/api/room/join", { url, code, name: f.name.value });
    $("#room-status").textContent = `${res.message} (${res.url}, as ${res.name})`;
  } catch (err) {
    $("#room-status").textContent = err.message;
  }
});

// ---- the websocket: one per page, reconnecting ----
class Socket {
  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState || (() => {});
    this.queue = [];
    this.connect();
  }
  connect() {
    const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token())}`);
    this.ws = ws;
    ws.onopen = () => { this.onState(true); for (const m of this.queue.splice(0)) ws.send(m); };
    ws.onmessage = (m) => this.onEvent(JSON.parse(m.data));
    ws.onclose = () => { this.onState(false); setTimeout(() => this.connect(), 1500); };
  }
  send(msg) {
    const data = JSON.stringify(msg);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
    else this.queue.push(data);
  }
}

// ---- the output of a run: steps, streamed output, failures, verdict ----
// Output is kept in blocks, one for each run of a stream: standard error
// has a bar in the gutter instead of an alarming color, since most of what
// the go command writes there (compiler notes, -gcflags=-m) is no error.
class OutputView {
  constructor(pane) { this.pane = pane; this.clear(); }
  clear() {
    this.pane.textContent = "";
    this.phase = "";
    this.stepEl = null;
    this.last = null; // the block written last: {span, stream, target}
  }
  write(target, stream, text) {
    const last = this.last;
    if (!last || last.stream !== stream || last.target !== target) {
      const span = el("span", { class: "out " + stream });
      if (stream === "stderr") span.title = "standard error";
      target.append(span);
      this.last = { span, stream, target };
    }
    this.last.span.append(text);
  }
  note(text) { this.pane.append(el("div", { class: "note" }, text)); }
  event(e) {
    switch (e.type) {
      case "step": {
        if (e.phase && e.phase !== this.phase) {
          this.phase = e.phase;
          this.pane.append(el("div", { class: "phase" }, e.phase));
        }
        this.stepEl = el("pre", { class: "step" }, el("span", { class: "cmd" }, "$ " + e.cmd + "\n"));
        this.pane.append(this.stepEl);
        this.last = null;
        break;
      }
      case "output": {
        this.write(this.stepEl || this.pane, e.stream, e.text);
        break;
      }
      case "step_end": {
        if (this.stepEl) {
          const bad = e.exit_code !== 0;
          const what = e.reason ? `stopped: ${e.reason.replace("_", " ")}` : `exit ${e.exit_code}`;
          this.stepEl.append(el("span", { class: "end" + (bad ? " bad" : "") }, `${what} · ${e.duration_ms} ms`));
          this.last = null;
        }
        break;
      }
    }
    this.pane.scrollTop = this.pane.scrollHeight;
  }
}

// ---- lesson pages: Run buttons ----
const lessonMain = document.querySelector("main.lesson");
if (lessonMain) {
  const topic = lessonMain.dataset.lesson;
  let current = null; // the program block whose output arrives
  const sock = new Socket((e) => {
    if (!current) return;
    if (e.type === "error") { current.view.note(e.message); current.done(); return; }
    current.view.event(e);
    if (e.type === "failure") current.view.note(inline(e.message));
    if (e.type === "verdict") current.done(e.pass);
  });
  for (const block of document.querySelectorAll(".program")) {
    const button = block.querySelector("button.run");
    const out = block.querySelector(".run-output");
    button.addEventListener("click", () => {
      if (current) current.done();
      out.hidden = false;
      const view = new OutputView(out);
      view.note("Running with your Go…");
      button.disabled = true;
      current = { view, done: (pass) => { button.disabled = false; if (pass !== undefined) out.dataset.pass = pass; current = null; } };
      sock.send({ type: "run", lesson: topic, program: Number(block.dataset.program) });
    });
  }
}

// ---- exercise pages ----
const exMain = document.querySelector("main.exercise");
if (exMain) workbench(JSON.parse($("#page-data").textContent));

function workbench(data) {
  const name = data.exercise;
  const files = data.files; // [{name, text, readonly}]
  const state = {
    open: 0,
    base: {},       // file -> text last loaded from or saved to disk
    dirty: new Set(),
    running: false,
    diags: [],      // [{file, line, col, message}]
    done: data.done,
    pressedAt: 0,
    diagByID: {},   // diagnostic events of the check, by id
    checkedText: null, // the files' text when the last check started
  };
  for (const f of files) if (!f.readonly) state.base[f.name] = f.text;

  const saved = $("#saved");
  const editor = WorkbookEditor.create($("#editor"), {
    doc: files[0]?.text || "",
    readOnly: files[0]?.readonly,
    label: fileLabel(files[0]),
    describedBy: "editor-help",
    onChange: (text) => {
      const f = files[state.open];
      f.text = text;
      state.dirty.add(f.name);
      saved.textContent = "editing…";
      scheduleSave();
      markStale();
    },
    onSave: () => save(),
    onCheck: () => check(),
  });
  window.workbookEditor = editor; // for the browser tests and the curious

  function fileLabel(f) {
    return f ? `${f.name}${f.readonly ? ", read-only" : ""}: Go code` : "Code";
  }

  // Tabs.
  const tabs = $("#tabs");
  files.forEach((f, i) => {
    tabs.append(el("button", {
      class: "tab" + (f.readonly ? " readonly" : ""), role: "tab", type: "button", "data-file": f.name, "aria-controls": "editor",
      title: f.readonly ? "The shipped tests: read-only (the check uses these)" : "Your code",
      onclick: () => openFile(i),
    }, f.name + (f.readonly ? " (read-only)" : "")));
  });
  function openFile(i) {
    state.open = i;
    const f = files[i];
    editor.setReadOnly(false);
    editor.setValue(f.text);
    editor.setReadOnly(!!f.readonly);
    editor.setLabel(fileLabel(f));
    tabs.querySelectorAll(".tab").forEach((t, j) => t.setAttribute("aria-selected", String(i === j)));
    showDiagnostics();
  }
  openFile(0);

  // Saving: automatically after a pause, at once on Ctrl-S and before a check.
  let saveTimer = null;
  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 700);
  }
  async function changedFiles() {
    const out = {}, base = {};
    for (const f of files) {
      if (!f.readonly && state.dirty.has(f.name)) {
        out[f.name] = f.text;
        base[f.name] = await sha256(state.base[f.name]);
      }
    }
    return { files: out, base };
  }
  function markSaved(sent) {
    for (const [n, text] of Object.entries(sent)) {
      state.base[n] = text;
      if (files.find((f) => f.name === n).text === text) state.dirty.delete(n);
    }
  }
  async function save() {
    clearTimeout(saveTimer);
    const { files: out, base } = await changedFiles();
    if (Object.keys(out).length === 0) { saved.textContent = "saved"; return; }
    try {
      const res = await api("/api/save", { exercise: name, files: out, base });
      markSaved(out);
      saved.textContent = res.backup ? `saved; the version changed on disk was backed up to ${res.backup}` : "saved";
      if (autocheck.checked && res.saved.length) check();
    } catch (err) {
      saved.textContent = "not saved: " + err.message;
    }
  }

  // Edits made on disk in another editor show up here.
  async function pollDisk() {
    try {
      const res = await api(`/api/files?exercise=${encodeURIComponent(name)}`);
      let changed = false;
      for (const f of files) {
        const disk = res.files[f.name];
        if (f.readonly || disk === undefined || disk === state.base[f.name]) continue;
        state.base[f.name] = disk;
        if (state.dirty.has(f.name)) {
          saved.textContent = `${f.name} changed on disk too; saving here keeps a backup of the disk version`;
          continue;
        }
        f.text = disk;
        changed = true;
        if (files[state.open] === f) editor.setValue(disk);
      }
      if (changed) {
        saved.textContent = "updated from disk";
        if (autocheck.checked) check();
      }
    } catch (_) { /* try again */ }
    setTimeout(pollDisk, 1000);
  }
  setTimeout(pollDisk, 1000);

  // Checks.
  const out = new OutputView($("#output"));
  const verdict = $("#verdict");
  const failures = $("#failures");
  const checkBtn = $("#check"), stopBtn = $("#stop");
  const autocheck = $("#autocheck");
  autocheck.checked = localStorage.getItem("autocheck") === "1";
  autocheck.addEventListener("change", () => localStorage.setItem("autocheck", autocheck.checked ? "1" : "0"));

  function setRunning(r) {
    state.running = r;
    checkBtn.disabled = false;
    checkBtn.textContent = r ? "Checking…" : "Check";
    stopBtn.disabled = !r;
    exMain.dataset.running = r;
  }
  async function check() {
    clearTimeout(saveTimer);
    const { files: out2, base } = await changedFiles();
    state.pressedAt = performance.now();
    delete $("#output").dataset.firstEventMs;
    sock.send({ type: "check", exercise: name, files: out2, base });
    markSaved(out2);
    saved.textContent = "saved";
  }
  checkBtn.addEventListener("click", check);
  stopBtn.addEventListener("click", () => sock.send({ type: "stop" }));

  function onEvent(e) {
    const pane = $("#output");
    if (state.pressedAt && pane.dataset.firstEventMs === undefined) {
      pane.dataset.firstEventMs = (performance.now() - state.pressedAt).toFixed(1);
    }
    switch (e.type) {
      case "start":
        out.clear();
        failures.textContent = "";
        showStale(false);
        verdict.hidden = true;
        envBanner.hidden = true;
        state.diags = [];
        state.diagByID = {};
        state.checkedText = files.map((f) => f.text).join("\0");
        showDiagnostics();
        setRunning(true);
        break;
      case "queued":
        setRunning(true);
        out.note(e.place === 1
          ? "Waiting for a free slot: another check is running on this computer. Yours is next."
          : `Waiting for a free slot: ${e.place - 1} checks are ahead of yours.`);
        break;
      case "output":
        if (e.step === undefined && e.stream === "note") out.note(e.text); else out.event(e);
        break;
      case "diagnostic": {
        const d = e.diagnostic || {};
        if (e.id) state.diagByID[e.id] = d;
        if (d.kind === "escape" && !d.escapes) break; // "does not escape" is news, not a problem
        const severity = d.kind === "escape" ? "warning" : "error";
        const render = () => el("div", {}, inline(d.message || ""));
        if (e.file && e.line) state.diags.push({ file: e.file, line: e.line, col: e.col, message: d.message || "", severity, render });
        for (const r of d.related || []) {
          if (r.file && r.line) state.diags.push({ file: r.file, line: r.line, col: r.col, message: d.message || "", severity: "info", render });
        }
        showDiagnostics();
        break;
      }
      case "failure": {
        const where = e.file ? `${e.file}:${e.line}${e.col ? ":" + e.col : ""}` : "";
        // The verdict says the phase; each finding says what and where.
        const li = el("li", {}, inline(e.message));
        if (where) {
          li.prepend(el("a", { href: "#", class: "loc", title: "Show this line in the editor", onclick: (ev) => { ev.preventDefault(); goTo(e.file, e.line); } }, where), " ");
          state.diags.push({ file: e.file, line: e.line, col: e.col, message: e.message, render: () => el("div", {}, inline(e.message)) });
        }
        if (e.text) li.append(el("pre", {}, e.text));
        failures.append(li);
        showDiagnostics();
        queueScrollers();
        break;
      }
      case "verdict":
        setRunning(false);
        if (e.reason === "environment") { showEnvironment(e.message); break; }
        showVerdict(e);
        break;
      case "error":
        setRunning(false);
        out.note(e.message);
        break;
      default:
        out.event(e);
    }
  }
  const sock = new Socket(onEvent, (up) => {
    if (!up) { saved.textContent = "disconnected from the workbook server; reconnecting…"; setRunning(false); }
    else if (saved.textContent.startsWith("disconnected")) saved.textContent = "";
  });

  // An environment problem is not the learner's: a banner, not a finding.
  const envBanner = $("#environment");
  function showEnvironment(msg) {
    failures.textContent = "";
    envBanner.hidden = false;
    envBanner.textContent = "Not your code: " + msg;
  }

  // Findings whose lines may no longer match the code fade once it changes,
  // with a note that says so (faded, not faint: they stay readable).
  function markStale() {
    if (state.checkedText === null || state.running) return;
    const stale = files.map((f) => f.text).join("\0") !== state.checkedText;
    showStale(stale && !verdict.hidden);
    if (stale && state.diags.length) { state.diags = []; showDiagnostics(); }
  }
  function showStale(stale) {
    failures.classList.toggle("stale", stale);
    verdict.classList.toggle("stale", stale);
    $("#stale").hidden = !stale;
  }

  function showVerdict(e) {
    verdict.hidden = false;
    verdict.className = "verdict " + (e.pass ? "pass" : "fail");
    verdict.dataset.pass = e.pass;
    const secs = ((e.duration_ms || 0) / 1000).toFixed(1);
    if (e.pass) {
      verdict.textContent = `Pass — the tools agree your fix is right (${secs} s).`;
      state.done = true;
      $("#badge").className = "badge done";
      $("#badge").textContent = "passed";
      $("#show-solution").hidden = false;
      const next = $("#next");
      if (next) verdict.append(" ", el("a", { href: next.getAttribute("href"), class: "button primary" }, "Next exercise →"));
    } else if (e.reason === "canceled") {
      verdict.textContent = "Stopped. Nothing of the check is left running.";
      verdict.className = "verdict stopped";
    } else {
      verdict.textContent = "";
      verdict.append(el("b", {}, "Not met yet: "), inline(e.message || "the check failed."), ` (${secs} s)`);
      if (state.hintsShown < data.hints) verdict.append(" ", el("a", { href: "#hints", onclick: (ev) => { ev.preventDefault(); hint(); } }, "Stuck? Show a hint."));
    }
  }

  function goTo(file, line) {
    const i = files.findIndex((f) => f.name === file);
    if (i >= 0) { openFile(i); editor.goTo(line); }
  }
  function showDiagnostics() {
    const f = files[state.open];
    editor.setDiagnostics(state.diags.filter((d) => d.file === f.name));
    tabs.querySelectorAll(".tab").forEach((t) => {
      t.classList.toggle("has-diags", state.diags.some((d) => d.file === t.dataset.file));
    });
  }

  // Format with gofmt.
  $("#format").addEventListener("click", async () => {
    const f = files[state.open];
    if (f.readonly) return;
    try {
      const res = await api("/api/format", { source: editor.getValue() });
      editor.setValue(res.source);
      if (res.source !== f.text) { f.text = res.source; state.dirty.add(f.name); save(); }
    } catch (err) {
      saved.textContent = err.message;
    }
  });

  // Reset, with a backup of the learner's code.
  $("#reset").addEventListener("click", async () => {
    if (!confirm("Restore the shipped code of this exercise? Your code is backed up first (in .workbook/backups of your workspace).")) return;
    await save();
    try {
      const res = await api("/api/reset", { exercise: name });
      for (const f of files) {
        if (res.files[f.name] !== undefined) { f.text = res.files[f.name]; state.base[f.name] = f.text; state.dirty.delete(f.name); }
      }
      openFile(state.open);
      saved.textContent = `reset; your code was backed up to ${res.backup}`;
    } catch (err) {
      saved.textContent = err.message;
    }
  });

  // Hints, one at a time.
  state.hintsShown = data.hintsShown;
  const hintBtn = $("#hint");
  function hintLabel() {
    $("#hint-count").textContent = `${state.hintsShown} of ${data.hints} shown`;
    hintBtn.disabled = state.hintsShown >= data.hints;
  }
  async function hint() {
    try {
      const res = await api("/api/hint", { exercise: name });
      const ol = $("#hints");
      ol.textContent = "";
      // The server's rendering of the hints' Markdown, from the workbook's own texts.
      for (const h of res.html) { const li = el("li"); li.innerHTML = h; ol.append(li); }
      ol.lastElementChild?.scrollIntoView({ block: "nearest" });
      state.hintsShown = res.hints.length;
      hintLabel();
    } catch (err) { saved.textContent = err.message; }
  }
  hintBtn.addEventListener("click", hint);
  hintLabel();

  // The solution, once the check has passed: each file as a diff against
  // the learner's code (what the solution changes), side by side or
  // unified, and in full.
  let solution = null; // the files of /api/solution, once fetched
  let diffMode = localStorage.getItem("diff-mode") || (innerWidth >= 1000 ? "split" : "unified");
  function drawSolution() {
    const box = $("#solution-files");
    box.textContent = "";
    for (const b of document.querySelectorAll(".diff-mode button")) b.setAttribute("aria-pressed", String(b.dataset.mode === diffMode));
    for (const f of solution) {
      box.append(el("h3", {}, f.name));
      if (f.diff.some((op) => op.kind !== " ")) {
        box.append(el("div", { class: "diff-wrap" }, diffTable(f, diffMode)));
      } else {
        box.append(el("p", { class: "muted" }, "Your code is the solution, to the letter."));
      }
      const details = el("details", {}, el("summary", {}, `The whole of the solution's ${f.name}`));
      const holder = el("div", { class: "editor small" });
      details.append(holder);
      box.append(details);
      WorkbookEditor.create(holder, { doc: f.text, readOnly: true, label: `${f.name} of the reference solution: Go code, read-only` });
    }
    queueScrollers();
  }
  for (const b of document.querySelectorAll(".diff-mode button")) {
    b.addEventListener("click", () => {
      diffMode = b.dataset.mode;
      localStorage.setItem("diff-mode", diffMode);
      if (solution) drawSolution();
    });
  }
  $("#show-solution").addEventListener("click", async () => {
    try {
      const res = await api(`/api/solution?exercise=${encodeURIComponent(name)}`);
      solution = res.files;
      drawSolution();
      $("#solution").hidden = false;
      $("#solution").scrollIntoView({ behavior: "smooth" });
    } catch (err) { saved.textContent = err.message; }
  });

  // A raised hand in the workshop room: the code as saved, and the last check.
  $("#raise-hand")?.addEventListener("click", async () => {
    await save();
    try {
      const res = await api("/api/room/hand", { exercise: name });
      saved.textContent = res.message;
    } catch (err) { saved.textContent = err.message; }
  });

  // Leaving the page with unsaved edits: save them.
  addEventListener("pagehide", () => {
    const out3 = {};
    for (const f of files) if (state.dirty.has(f.name)) out3[f.name] = f.text;
    if (Object.keys(out3).length) {
      fetch("/api/save", { method: "POST", keepalive: true, headers: { "Content-Type": "application/json", "X-Workbook-Token": token() }, body: JSON.stringify({ exercise: name, files: out3 }) });
    }
  });
}

// ---- diffs ----
// diffTable draws a file's diff ops ({kind: " ", "-" or "+", text, a, b},
// a and b the line numbers in the learner's code and the solution) as a
// table: mode "split" puts the two files side by side, "unified" one
// above the other. Long runs of unchanged lines fold, three lines of
// context kept around each change.
function diffTable(f, mode) {
  const context = 3;
  const table = el("table", { class: "diff " + mode });
  table.append(el("caption", { class: "visually-hidden" }, `${f.name}: your code against the reference solution`));
  const cols = mode === "split" ? ["num", "code", "num", "code"] : ["num", "num", "code"];
  table.append(el("colgroup", {}, ...cols.map((c) => el("col", { class: c }))));
  const cell = (cls, text) => el("td", { class: cls }, text);
  const num = (n) => cell("num", n ? String(n) : "");
  const code = (cls, marker, text) => el("td", { class: "line " + cls }, el("span", { class: "marker", "aria-hidden": "true" }, marker), el("code", {}, text));
  const mark = (kind) => (kind === "-" ? "−" : kind === "+" ? "+" : " ");
  const cls = (kind) => (kind === "-" ? "del" : kind === "+" ? "add" : "same");
  const thead = el("thead");
  if (mode === "split") {
    thead.append(el("tr", {}, el("th", { colspan: "2", scope: "col" }, "Your code"), el("th", { colspan: "2", scope: "col" }, "Solution")));
  } else {
    // Narrow number columns: a sign on screen, words for screen readers.
    const th = (sign, words) => el("th", { scope: "col", class: "num", title: words },
      el("span", { "aria-hidden": "true" }, sign), el("span", { class: "visually-hidden" }, words));
    thead.append(el("tr", {}, th("−", "Line in your code"), th("+", "Line in the solution"), el("th", { scope: "col" }, "Code")));
  }
  table.append(thead);

  // rows: each is {same: bool, tr: a function making its <tr>}.
  const rows = [];
  const ops = f.diff;
  for (let i = 0; i < ops.length;) {
    const op = ops[i];
    if (op.kind === " ") {
      rows.push({ same: true, tr: () => mode === "split"
        ? el("tr", {}, num(op.a), code("same", " ", op.text), num(op.b), code("same", " ", op.text))
        : el("tr", {}, num(op.a), num(op.b), code("same", " ", op.text)) });
      i++;
      continue;
    }
    // A change: the lines taken out, then the lines put in.
    const dels = [], adds = [];
    for (; i < ops.length && ops[i].kind !== " "; i++) (ops[i].kind === "-" ? dels : adds).push(ops[i]);
    if (mode === "split") {
      for (let j = 0; j < Math.max(dels.length, adds.length); j++) {
        const d = dels[j], a = adds[j];
        rows.push({ same: false, tr: () => el("tr", {},
          num(d?.a), d ? code("del", mark("-"), d.text) : cell("line empty", ""),
          num(a?.b), a ? code("add", mark("+"), a.text) : cell("line empty", "")) });
      }
    } else {
      for (const o of [...dels, ...adds]) {
        rows.push({ same: false, tr: () => el("tr", {}, num(o.a), num(o.b), code(cls(o.kind), mark(o.kind), o.text)) });
      }
    }
  }
  // Keep the lines near a change; fold the rest.
  const keep = rows.map(() => false);
  rows.forEach((r, i) => {
    if (!r.same) for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = true;
  });
  const tbody = el("tbody");
  for (let i = 0; i < rows.length;) {
    if (keep[i]) { tbody.append(rows[i].tr()); i++; continue; }
    let j = i;
    while (j < rows.length && !keep[j]) j++;
    const hidden = rows.slice(i, j);
    const fold = el("tr", { class: "fold" });
    const button = el("button", { type: "button", class: "link" }, `⋯ ${hidden.length} unchanged line${hidden.length === 1 ? "" : "s"}: show`);
    button.addEventListener("click", () => {
      fold.replaceWith(...hidden.map((r) => r.tr()));
      queueScrollers();
    });
    fold.append(el("td", { colspan: mode === "split" ? "4" : "3" }, button));
    tbody.append(fold);
    i = j;
  }
  table.append(tbody);
  return table;
}
