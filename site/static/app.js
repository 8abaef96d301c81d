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
class OutputView {
  constructor(pane) { this.pane = pane; this.clear(); }
  clear() {
    this.pane.textContent = "";
    this.phase = "";
    this.stepEl = null;
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
        break;
      }
      case "output": {
        const target = this.stepEl || this.pane;
        target.append(el("span", { class: "out " + e.stream }, e.text));
        break;
      }
      case "step_end": {
        if (this.stepEl) {
          const bad = e.exit_code !== 0;
          const what = e.reason ? `stopped: ${e.reason.replace("_", " ")}` : `exit ${e.exit_code}`;
          this.stepEl.append(el("span", { class: "end" + (bad ? " bad" : "") }, `${what} · ${e.duration_ms} ms`));
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
    if (e.type === "failure") current.view.note(e.message);
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

  // Tabs.
  const tabs = $("#tabs");
  files.forEach((f, i) => {
    tabs.append(el("button", {
      class: "tab" + (f.readonly ? " readonly" : ""), role: "tab", type: "button", "data-file": f.name,
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
        failures.classList.remove("stale");
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
        if (e.file && e.line) state.diags.push({ file: e.file, line: e.line, col: e.col, message: d.message || "", severity });
        for (const r of d.related || []) {
          if (r.file && r.line) state.diags.push({ file: r.file, line: r.line, col: r.col, message: d.message || "", severity: "info" });
        }
        showDiagnostics();
        break;
      }
      case "failure": {
        const where = e.file ? `${e.file}:${e.line}${e.col ? ":" + e.col : ""}` : "";
        // The verdict says the phase; each finding says what and where.
        const li = el("li", {}, e.message);
        if (where) {
          li.prepend(el("a", { href: "#", class: "loc", onclick: (ev) => { ev.preventDefault(); goTo(e.file, e.line); } }, where), " ");
          state.diags.push({ file: e.file, line: e.line, col: e.col, message: e.message });
        }
        if (e.text) li.append(el("pre", {}, e.text));
        failures.append(li);
        showDiagnostics();
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

  // Findings whose lines may no longer match the code fade once it changes.
  function markStale() {
    if (state.checkedText === null || state.running) return;
    const stale = files.map((f) => f.text).join("\0") !== state.checkedText;
    failures.classList.toggle("stale", stale);
    verdict.classList.toggle("stale", stale);
    if (stale && state.diags.length) { state.diags = []; showDiagnostics(); }
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
      verdict.append(el("b", {}, "Not yet: "));
      verdict.append((e.message || "the check failed.") + ` (${secs} s)`);
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
      for (const h of res.hints) ol.append(el("li", {}, h));
      state.hintsShown = res.hints.length;
      hintLabel();
    } catch (err) { saved.textContent = err.message; }
  }
  hintBtn.addEventListener("click", hint);
  hintLabel();

  // The solution, once the check has passed: each file as a diff against
  // the learner's code (what the solution changes), and in full.
  $("#show-solution").addEventListener("click", async () => {
    try {
      const res = await api(`/api/solution?exercise=${encodeURIComponent(name)}`);
      const box = $("#solution-files");
      box.textContent = "";
      for (const f of res.files) {
        box.append(el("h3", {}, f.name));
        const changed = f.diff.some((op) => op.kind !== " ");
        if (changed) {
          const pre = el("pre", { class: "diff", tabindex: "0", "aria-label": `${f.name}: your code against the solution` });
          for (const op of f.diff) {
            const cls = op.kind === "+" ? "add" : op.kind === "-" ? "del" : "same";
            pre.append(el("span", { class: "diff-line " + cls }, `${op.kind} ${op.text}\n`));
          }
          box.append(el("p", { class: "muted" }, "Your code (−) against the solution (+):"), pre);
        } else {
          box.append(el("p", { class: "muted" }, "Your code is the solution, to the letter."));
        }
        const details = el("details", {}, el("summary", {}, "The whole file"));
        const holder = el("div", { class: "editor small" });
        details.append(holder);
        box.append(details);
        WorkbookEditor.create(holder, { doc: f.text, readOnly: true });
      }
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
