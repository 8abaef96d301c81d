// The workshop room's dashboard: the room arrives whole over the websocket
// at every change, and the page redraws from it. Every text from a learner
// goes in with textContent, never as HTML. No framework, nothing from a CDN.
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

// The token arrives in the fragment of the printed URL (the server moved it
// there); it is kept in localStorage, which belongs to this origin alone.
(function takeToken() {
  const m = location.hash.match(/(?:^#|&)token=([0-9a-f]+)/);
  if (m) {
    localStorage.setItem("workbook-room-token", m[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }
})();
const token = () => localStorage.getItem("workbook-room-token") || "";

function minutes(secs) {
  if (secs < 60) return `${secs} s`;
  const m = Math.floor(secs / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

// ---- the websocket: the room, whole, at every change ----
let latest = null, drawing = false;
function connect() {
  const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token())}`);
  const live = $("#live");
  ws.onopen = () => { live.textContent = "live"; live.dataset.up = "true"; };
  ws.onmessage = (m) => {
    latest = JSON.parse(m.data);
    // One redraw per frame however fast the room changes.
    if (!drawing) { drawing = true; requestAnimationFrame(() => { drawing = false; draw(latest); }); }
  };
  ws.onclose = () => { live.textContent = "reconnecting…"; live.dataset.up = "false"; setTimeout(connect, 1500); };
}
connect();

function draw(room) {
  $("#room").dataset.version = room.version;
  drawTotals(room);
  drawGrid(room);
  drawExercises(room);
  drawHands(room);
}

function drawTotals(room) {
  const t = room.totals;
  $("#t-learners").textContent = t.learners;
  $("#t-passed").textContent = t.passed;
  $("#t-checks").textContent = t.checks;
  $("#t-hints").textContent = t.hints;
  $("#t-stuck").textContent = t.stuck;
  $("#t-hands").textContent = t.hands_open;
}

// ---- learners × exercises ----
function drawGrid(room) {
  const cols = room.exercises; // those someone started, in curriculum order
  const head = $("#grid-head");
  head.replaceChildren(el("th", { scope: "col" }, "Learner"));
  for (const ex of cols) {
    head.append(el("th", { scope: "col", class: "ex-col", title: `${ex.title} (${ex.name})` }, el("span", {}, ex.name)));
  }
  const body = el("tbody", { id: "grid-body" });
  for (const l of room.learners) {
    const name = el("th", { scope: "row", class: "learner" }, el("span", { class: "name" }, l.name));
    name.append(el("span", { class: "muted count" }, ` ${l.passed} ✓`));
    if (l.stuck) name.append(" ", el("span", { class: "flag" }, "stuck"));
    if (l.left) name.append(" ", el("span", { class: "muted" }, "(left)"));
    const tr = el("tr", { "data-learner": l.id, class: l.left ? "left" : "" }, name);
    for (const ex of cols) {
      const st = l.exercises[ex.name];
      const td = el("td", { class: "cell", "data-exercise": ex.name });
      if (st) {
        td.classList.add(st.status);
        td.dataset.status = st.status;
        if (st.stuck) td.classList.add("stuck");
        if (st.checking) td.classList.add("checking");
        if (l.current === ex.name) td.classList.add("current");
        td.textContent = st.checks > 0 ? String(st.checks) : "·";
        let tip = `${l.name} · ${ex.name}: ${st.status}, ${st.checks} checks (${st.failing_checks} failing), ${st.hints} hints, ${minutes(st.time_s)}`;
        if (st.phase) tip += `\nFailing: ${st.phase}`;
        if (st.stuck) tip += "\nStuck";
        td.title = tip;
      }
      tr.append(td);
    }
    body.append(tr);
  }
  $("#grid-body").replaceWith(body);
  $("#no-learners").hidden = room.learners.length > 0;
}

function drawExercises(room) {
  const body = el("tbody", { id: "exercises" });
  for (const ex of room.exercises) {
    let phase = "";
    if (ex.phase_count) {
      phase = `${ex.phase_count} of ${ex.started} ${ex.phase_count === 1 ? "is" : "are"} failing: `;
    }
    const why = el("td", { class: "phase" }, phase);
    if (ex.phase_count) why.append(el("em", {}, ex.phase || "(no headline)"));
    body.append(el("tr", { "data-exercise": ex.name },
      el("td", {}, el("span", {}, ex.title), " ", el("code", {}, ex.name)),
      el("td", {}, String(ex.started)), el("td", {}, String(ex.passed)), el("td", {}, String(ex.failing)),
      el("td", {}, String(ex.stuck)), why));
  }
  $("#exercises").replaceWith(body);
}

// ---- raised hands ----
let shown = null; // the hand on view: {id, editor, files}
function drawHands(room) {
  const list = el("ol", { id: "hands", class: "hand-list" });
  const open = room.hands.filter((h) => !h.answered);
  const answered = room.hands.filter((h) => h.answered);
  for (const h of [...open, ...answered]) {
    const li = el("li", { "data-hand": h.id, class: h.answered ? "answered" : "" },
      el("button", { type: "button", class: "link", onclick: () => showHand(h.id) },
        el("b", { class: "name" }, h.name), " · ", el("code", {}, h.exercise)),
      " ", el("span", { class: "muted" }, new Date(h.raised).toLocaleTimeString()));
    if (h.answered) li.append(" ", el("span", { class: "muted" }, "answered"));
    list.append(li);
  }
  $("#hands").replaceWith(list);
  $("#no-hands").hidden = open.length > 0;
  if (shown) {
    const h = room.hands.find((x) => x.id === shown.id);
    if (h) $("#answer").disabled = h.answered;
  }
}

function showHand(id) {
  const h = latest.hands.find((x) => x.id === id);
  if (!h) return;
  const box = $("#hand");
  box.hidden = false;
  box.dataset.hand = h.id;
  $("#hand-title").textContent = `${h.name} · ${h.exercise} · raised at ${new Date(h.raised).toLocaleTimeString()}`;
  $("#hand-verdict").textContent = !h.checked ? "No check yet." : h.verdict ? `Last check: ${h.verdict}` : "The last check passed.";
  const holder = $("#hand-editor");
  holder.textContent = "";
  const files = h.files || [];
  const editor = WorkbookEditor.create(holder, { doc: files[0]?.text || "", readOnly: true });
  window.handEditor = editor; // for the browser tests
  shown = { id: h.id, editor, files };
  const tabs = $("#hand-tabs");
  tabs.textContent = "";
  const open = (i) => {
    editor.setValue(files[i].text);
    editor.setDiagnostics((h.findings || []).filter((f) => f.file === files[i].name)
      .map((f) => ({ line: f.line, col: f.col, message: f.message, severity: f.severity || "error" })));
    tabs.querySelectorAll("button").forEach((b, j) => b.setAttribute("aria-selected", String(i === j)));
  };
  files.forEach((f, i) => tabs.append(el("button", { type: "button", role: "tab", class: "tab", onclick: () => open(i) }, f.name)));
  if (files.length) open(0);
  const list = $("#hand-findings");
  list.textContent = "";
  for (const f of h.findings || []) {
    list.append(el("li", {}, el("code", {}, `${f.file}:${f.line}`), " ", f.message));
  }
  $("#hand-output").textContent = h.output || "";
  $("#answer").disabled = h.answered;
  box.scrollIntoView({ block: "nearest" });
}

$("#answer").addEventListener("click", async () => {
  if (!shown) return;
  const resp = await fetch("/api/answer", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Workbook-Token": token() },
    body: JSON.stringify({ id: shown.id }),
  });
  if (resp.ok) $("#answer").disabled = true;
});
$("#close-hand").addEventListener("click", () => { $("#hand").hidden = true; shown = null; });
