// Lesson pages: each program block is a playground. Run runs it with your Go
// (and, as the lesson has it, compares what it prints with the lesson);
// Edit opens it in the editor, in place, to change and run again; Restore
// puts the lesson's code back; the tools add -race, -gcflags=-m or
// allocation counts; "Why does it escape?" builds it with -gcflags=-m=2 and
// says why each value moves to the heap, under its line. An edited program
// is sent with the run message and runs in the runner's scratch directory,
// never in the workspace (see runner.ClientMessage). Uses app.js's el,
// inline, Socket and OutputView, and instruments.js.
"use strict";

(function playground() {
  const main = document.querySelector("main.lesson");
  if (!main) return;
  const topic = main.dataset.lesson;
  const programs = JSON.parse(document.getElementById("programs")?.textContent || "[]");

  // The run going on, at most one per page: {onEvent(e), done(verdict)}.
  // Events of a run that was replaced can still arrive (its canceled
  // verdict): a run takes events from its own start event on.
  let current = null;
  const sock = new Socket((e) => {
    if (!current) return;
    if (e.type === "start") current.started = true;
    if (!current.started && e.type !== "error") return;
    current.onEvent(e);
  }, (up) => {
    // The server stops a page's run when its connection goes.
    if (!up && current) current.onEvent({ type: "error", message: "Disconnected from the workbook server, so the run was stopped; reconnecting…" });
  });

  // The editor bundle loads when a block is first edited: a lesson read
  // without editing does not pay for it.
  let editorLoading = null;
  function loadEditor() {
    if (window.WorkbookEditor) return Promise.resolve();
    editorLoading ??= new Promise((resolve, reject) => {
      const s = el("script", { src: "/static/editor.js" });
      s.onload = () => resolve();
      s.onerror = () => { editorLoading = null; reject(new Error("the editor did not load")); };
      document.head.append(s);
    });
    return editorLoading;
  }

  const toolList = [
    ["race", "-race", "Run with the race detector: a data race is drawn as its two goroutines"],
    ["escapes", "-gcflags=-m", "Print the compiler's escape analysis: what moves to the heap"],
    ["allocs", "allocations", "Count the heap allocations of each line of the program while main runs"],
  ];

  for (const block of main.querySelectorAll(".program")) setUp(block);

  function setUp(block) {
    const id = Number(block.dataset.program);
    const prog = programs[id];
    if (!prog) return;
    const label = `Program ${id + 1}`;
    const runBtn = block.querySelector("button.run");
    const out = block.querySelector(".run-output");
    let pre = block.querySelector("pre");
    let editor = null;
    let notes = []; // [{file, line, text}] of the last "why"

    const editBtn = el("button", { type: "button", class: "edit", title: "Change the program here and run your version (it runs in a scratch directory, never in your workspace)" }, "Edit");
    const restoreBtn = el("button", { type: "button", class: "restore", title: "Put the lesson's code back" }, "Restore");
    restoreBtn.hidden = true;
    const whyBtn = el("button", { type: "button", class: "why", title: "Build with -gcflags=-m=2 and say, under each line, why its values escape to the heap" }, "Why does it escape?");
    const tools = el("span", { class: "tools", role: "group", "aria-label": `Tools for ${label.toLowerCase()}` });
    for (const [value, text, title] of toolList) {
      tools.append(el("label", { title }, el("input", { type: "checkbox", value }), " ", text));
    }
    runBtn.title = "Run this program with your Go";
    const bar = el("div", { class: "program-bar", role: "group", "aria-label": label }, runBtn, editBtn, restoreBtn, whyBtn, tools);
    const status = el("span", { class: "edited-note muted", "aria-live": "polite" });
    bar.append(status);
    block.prepend(bar);

    const text = () => (editor ? editor.getValue() : prog.source);
    const edited = () => text() !== prog.source;
    const toolsOn = () => [...tools.querySelectorAll("input:checked")].map((i) => i.value);

    function changed() {
      const e = edited();
      restoreBtn.hidden = !e;
      block.dataset.edited = String(e);
      status.textContent = e ? "Edited: Run runs your version." : "";
      if (notes.length) { notes = []; showNotes(); }
    }

    async function openEditor(focus) {
      if (!editor) {
        await loadEditor();
        if (!editor) {
          const holder = el("div", { class: "editor program-editor" });
          pre.replaceWith(holder);
          pre = null;
          editor = WorkbookEditor.create(holder, {
            doc: prog.source,
            label: `${label} of the lesson: Go code${prog.lang === "txtar" ? ", a txtar archive of files" : ""}`,
            describedBy: "program-editor-help",
            onChange: changed,
            onCheck: () => run(),
          });
          block.dataset.editing = "true";
          editBtn.hidden = true;
          block.editor = editor; // for the browser tests and the curious
        }
      }
      if (focus) editor.focus();
      return editor;
    }

    // editorLine returns the line of the editor's text where line of file
    // is: the same line for a go block's main.go; below the file's
    // "-- name --" line for a txtar block; 0 if the text has no such file.
    function editorLine(file, line) {
      if (prog.lang !== "txtar") return file === "main.go" ? line : 0;
      const lines = text().split("\n");
      for (let i = 0; i < lines.length; i++) {
        const m = /^-- (.+) --$/.exec(lines[i]);
        if (m && m[1].trim() === file) return i + 1 + line;
      }
      return 0;
    }
    async function goTo(file, line) {
      const ed = await openEditor(false);
      const at = editorLine(file, line);
      if (at > 0) ed.goTo(at);
    }
    const canGo = (file) => editorLine(file, 1) > 0;

    function showNotes() {
      if (!editor) return;
      editor.setNotes(WorkbookInstruments.notesByLine(notes).map((n) => ({
        line: editorLine(n.file, n.line),
        key: `${n.file}:${n.line}:${n.texts.join("\n")}`,
        label: `Why it escapes, line ${n.line}${prog.lang === "txtar" ? " of " + n.file : ""}`,
        render: () => WorkbookInstruments.noteContent(n.texts),
      })));
    }

    editBtn.addEventListener("click", () => openEditor(true).catch((err) => { status.textContent = err.message; }));
    restoreBtn.addEventListener("click", () => {
      if (!editor) return;
      editor.setValue(prog.source);
      changed();
      status.textContent = "Restored: the lesson's code.";
      editor.focus();
    });
    runBtn.addEventListener("click", () => run());
    whyBtn.addEventListener("click", async () => {
      try { await openEditor(false); } catch (err) { status.textContent = err.message; return; }
      start("why");
    });

    function run() { start("run"); }

    // start sends the block's run (kind "run" or "why") and shows its events.
    function start(kind) {
      if (current) current.done();
      const src = text();
      const isEdited = src !== prog.source;
      const on = kind === "why" ? [] : toolsOn();
      const compared = kind === "run" && !isEdited && on.length === 0;
      const msg = { type: "run", lesson: topic, program: id };
      if (isEdited) msg.source = src;
      if (on.length) msg.tools = on;
      if (kind === "why") msg.why = true;
      // The questions about a program are answered by its run as the lesson
      // has it (app.js's lessonPredictions).
      const predictions = compared ? window.WorkbookLessonPredictions?.[id] : undefined;
      if (predictions) msg.predictions = predictions.answers();

      out.hidden = false;
      out.textContent = "";
      delete out.dataset.pass;
      delete out.dataset.ran;
      delete out.dataset.why;
      let view = new OutputView(out);
      if (kind === "why") {
        // The compiler's -m=2 flow is long: the sentences say it; the raw
        // output stays one click away.
        const raw = el("div", { class: "why-raw" });
        out.append(el("details", {}, el("summary", {}, "The compiler's own words (-gcflags=-m=2)"), raw));
        view = new OutputView(raw);
        out.append(el("div", { class: "note building" }, "Building with -gcflags=-m=2…"));
      } else if (compared) {
        view.note("Running with your Go…");
      } else {
        const what = isEdited ? "your version" : "the lesson's program";
        const with_ = on.length ? " with " + on.map((v) => toolList.find((t) => t[0] === v)[1]).join(", ") : "";
        view.note(`Running ${what}${with_}: what it prints is not compared with the lesson.`);
      }
      if (kind === "why") { notes = []; showNotes(); }
      for (const b of [runBtn, whyBtn]) b.disabled = true;
      const found = []; // why sentences
      let timelines = 0;

      current = {
        started: false,
        onEvent(e) {
          if (e.type === "error") { out.append(el("div", { class: "note" }, e.message)); this.done(); return; }
          if (e.type === "prediction") { predictions?.event(e); return; }
          view.event(e);
          switch (e.type) {
            case "diagnostic":
              if (e.why && e.file && e.line) found.push({ file: e.file, line: e.line, text: e.why });
              if (e.timeline) {
                const box = el("details", { class: "timeline-box" },
                  el("summary", {}, "Drawn as two goroutines: ", WorkbookInstruments.summary(e.timeline)),
                  WorkbookInstruments.timeline(e.timeline, { goTo, canGo }));
                box.open = timelines++ === 0;
                out.append(box);
                view.last = null;
              }
              break;
            case "failure":
              out.append(el("div", { class: "note" }, inline(e.message)));
              view.last = null;
              break;
            case "verdict":
              this.done(e);
              break;
          }
        },
        done(v) {
          if (current === this) current = null;
          for (const b of [runBtn, whyBtn]) b.disabled = false;
          if (!v) return;
          if (v.reason === "canceled") { out.append(el("div", { class: "note" }, "Stopped.")); return; }
          if (compared) out.dataset.pass = String(!!v.pass);
          else out.dataset.ran = String(!!v.pass);
          if (kind === "why") showWhy(v, found);
          queueScrollers();
        },
      };
      sock.send(msg);
    }

    // showWhy lists the sentences, line by line, and puts each under its
    // line in the editor.
    function showWhy(v, found) {
      out.querySelector(".note.building")?.remove();
      notes = found;
      showNotes();
      out.dataset.why = String(WorkbookInstruments.notesByLine(found).length);
      const section = el("section", { class: "why-list", "aria-label": `Why values of ${label.toLowerCase()} escape` });
      if (!v.pass) {
        section.append(el("p", {}, "It did not build, so the compiler said nothing about escapes: see its words above."));
      } else if (found.length === 0) {
        section.append(el("p", {}, "Nothing escapes to the heap: the compiler keeps every value of this program on the stack."));
      } else {
        const byLine = WorkbookInstruments.notesByLine(found);
        const count = byLine.reduce((n, l) => n + l.texts.length, 0);
        section.append(el("p", {}, `${count} value${count === 1 ? "" : "s"} escape${count === 1 ? "s" : ""} to the heap, on ${byLine.length} line${byLine.length === 1 ? "" : "s"}; each is noted under its line above:`));
        const ol = el("ol");
        for (const n of byLine) {
          const where = prog.lang === "txtar" ? `${n.file}:${n.line}` : `line ${n.line}`;
          const link = el("a", { href: "#", class: "loc", "data-file": n.file, "data-line": String(n.line), title: "Show this line in the editor",
            ...WorkbookInstruments.follow(() => goTo(n.file, n.line)) }, where);
          const li = el("li", {}, link);
          for (const t of n.texts) li.append(el("p", {}, inline(t)));
          ol.append(li);
        }
        section.append(ol);
      }
      out.prepend(section);
    }
  }

  // One help text for every program editor of the page.
  main.append(el("p", { id: "program-editor-help", class: "visually-hidden" },
    "Shift-Enter runs the program. Tab indents; Escape then Tab leaves the editor."));
})();
