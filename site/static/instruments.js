// The teaching instruments of the pages: a data race drawn as its two
// goroutines (from a diagnostic event's timeline, see
// diagnostics.Timeline), and the notes that say why values escape (from
// the events' why, see diagnostics.ExplainEscape). They only draw: the
// page says where a place leads (goTo) and which files it has (canGo).
// Everything from the server is put in the page as text, never as HTML.
"use strict";

const WorkbookInstruments = (() => {
  function node(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null && c !== "") e.append(c);
    return e;
  }

  // codeSpans renders a message's `code spans` as <code>, the rest as text.
  function codeSpans(text) {
    const frag = document.createDocumentFragment();
    for (const p of String(text ?? "").split(/(`[^`\n]+`)/)) {
      if (p.length > 2 && p.startsWith("`") && p.endsWith("`")) frag.append(node("code", {}, p.slice(1, -1)));
      else if (p) frag.append(p);
    }
    return frag;
  }

  // plainFunc names a function of a stack for a person, as the terminal's
  // rendering does (diagnostics.plainFunc): "TestX.func1" is "the func
  // literal in TestX".
  function plainFunc(fn) {
    const m = /^(.+?)\.(func|gowrap|deferwrap)\d+(?:\.\d+)*$/.exec(String(fn ?? ""));
    if (!m) return String(fn ?? "");
    if (m[2] === "gowrap") return "the go statement in " + m[1];
    if (m[2] === "deferwrap") return "the defer statement in " + m[1];
    return "the func literal in " + m[1];
  }

  // follow makes a link's click handler: go() instead of following href.
  function follow(go) {
    return { onclick: (ev) => { ev.preventDefault(); go(); } };
  }

  // funcWords is plainFunc with the function's name set as code: "the func
  // literal in <code>TestX</code>".
  function funcWords(fn) {
    const words = plainFunc(fn);
    const m = /^(the (?:func literal|go statement|defer statement) in )(.+)$/.exec(words);
    const frag = document.createDocumentFragment();
    if (m) frag.append(m[1], node("code", {}, m[2]));
    else frag.append(node("code", {}, words));
    return frag;
  }

  const laneLetters = ["A", "B"];

  // place draws a file:line, a link to it when the page has the file.
  function place(loc, opts) {
    const file = String(loc?.file ?? ""), line = Number(loc?.line) || 0;
    if (!file) return node("span", { class: "loc unknown" }, "an unknown place");
    const text = line > 0 ? `${file}:${line}` : file;
    if (line > 0 && opts.canGo(file)) {
      return node("a", {
        href: "#", class: "loc", "data-file": file, "data-line": String(line), title: "Show this line in the editor",
        ...follow(() => opts.goTo(file, line)),
      }, text);
    }
    return node("span", { class: "loc", title: "Not one of the files on this page" }, text);
  }

  // timeline draws a race's timeline (diagnostics.Timeline: lanes and
  // steps) as a figure: the two goroutines side by side, each a lane, and
  // what each did, one step a row, top to bottom in the order the report
  // implies. Places are links that opts.goTo(file, line) follows when
  // opts.canGo(file). It is a list for a screen reader (each step says its
  // goroutine) and, in a box wider than 520 px, two columns for the eye.
  function timeline(tl, opts) {
    opts = { goTo: () => {}, canGo: () => false, ...opts };
    const lanes = Array.isArray(tl?.lanes) ? tl.lanes.slice(0, 2) : [];
    const steps = Array.isArray(tl?.steps) ? tl.steps : [];
    const laneOf = (s) => (Number(s?.lane) === 1 ? 1 : 0);

    const fig = node("figure", { class: "timeline" });
    const lanesList = node("ol", { class: "tl-lanes", "aria-label": "The two goroutines" });
    lanes.forEach((l, i) => {
      const state = [l?.goroutine, l?.finished ? "finished" : ""].filter(Boolean).join(", ");
      const named = String(l?.name ?? l?.goroutine ?? "a goroutine");
      lanesList.append(node("li", { class: `tl-lane lane-${i}` },
        node("span", { class: "tl-tag", "aria-hidden": "true" }, laneLetters[i]),
        node("span", { class: "visually-hidden" }, `Goroutine ${laneLetters[i]}: `),
        node("span", { class: "tl-name" }, named),
        state && !named.startsWith(String(l?.goroutine)) ? node("span", { class: "tl-state" }, ` — ${state}`) : null));
    });
    fig.append(lanesList);

    const list = node("ol", { class: "tl-steps", "aria-label": "What they did, in order" });
    const firstAccess = steps.find((s) => s?.kind === "access");
    steps.forEach((s, i) => {
      const lane = laneOf(s);
      const kind = s?.kind === "start" ? "start" : "access";
      const li = node("li", { class: `tl-step lane-${lane} ${kind}${s?.write ? " write" : ""}`, style: `grid-row: ${i + 1}` },
        node("span", { class: "tl-tag", "aria-hidden": "true" }, laneLetters[lane]),
        node("span", { class: "visually-hidden" }, `Goroutine ${laneLetters[lane]}: `));
      const what = node("span", { class: "tl-what" });
      if (kind === "start") {
        what.append("started by the ", node("b", {}, "go"), " statement in ", funcWords(s?.func));
      } else {
        what.append(node("b", { class: "tl-op" }, String(s?.op || "access")));
        if (s?.func) what.append(" in ", funcWords(s.func));
      }
      li.append(what, " ", place(s, opts));
      if (kind === "access" && s !== firstAccess && firstAccess && laneOf(firstAccess) !== lane) {
        li.append(" ", node("span", { class: "tl-conflict" },
          `races with ${laneLetters[laneOf(firstAccess)]}'s ${String(firstAccess.op || "access")}: nothing orders the two`));
      }
      const calls = Array.isArray(s?.calls) ? s.calls : [];
      if (calls.length) {
        const ul = node("ul", { class: "tl-calls", "aria-label": "called from" });
        for (const c of calls) ul.append(node("li", {}, "called from ", funcWords(c?.func), " at ", place(c, opts)));
        li.append(ul);
      }
      list.append(li);
    });
    fig.append(list);
    fig.append(node("figcaption", { class: "muted" },
      "Read top to bottom: the steps in an order the report allows. (It does not say when a goroutine started next to the other's access.)"));
    return fig;
  }

  // summary names a timeline in a line: "write at router.go:44 (A) against
  // read at router.go:59 (B)".
  function summary(tl) {
    const acc = (Array.isArray(tl?.steps) ? tl.steps : []).filter((s) => s?.kind === "access");
    const at = (s) => (!s.file ? "an unknown place" : Number(s.line) > 0 ? `${s.file}:${s.line}` : String(s.file));
    const say = (s) => `${s.op || "access"} at ${at(s)} (${laneLetters[Number(s.lane) === 1 ? 1 : 0]})`;
    return acc.length >= 2 ? `${say(acc[0])} against ${say(acc[1])}` : "two goroutines";
  }

  // notesByLine groups sentences by file and line, one note for each line
  // with every sentence about it: [{file, line, texts}], in line order.
  function notesByLine(items) {
    const byKey = new Map();
    for (const it of items || []) {
      const file = String(it?.file ?? ""), line = Number(it?.line) || 0, text = String(it?.text ?? "");
      if (!file || line < 1 || !text) continue;
      const key = file + "\u0000" + line;
      if (!byKey.has(key)) byKey.set(key, { file, line, texts: [] });
      const n = byKey.get(key);
      if (!n.texts.includes(text)) n.texts.push(text);
    }
    return [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  }

  // noteContent renders a note's sentences.
  function noteContent(texts) {
    const frag = document.createDocumentFragment();
    for (const t of texts) frag.append(node("p", {}, codeSpans(t)));
    return frag;
  }

  return { timeline, summary, plainFunc, notesByLine, noteContent, codeSpans, follow };
})();
