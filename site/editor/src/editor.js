// The workbook's code editor: CodeMirror 6 with Go highlighting, line numbers,
// tab indentation, bracket matching, lint marks and notes under lines, behind
// a small API that site/static/app.js uses. `npm run build` bundles it into
// ../static/editor.js.
import { EditorState, Compartment, StateEffect, StateField } from "@codemirror/state";
import {
  EditorView, Decoration, WidgetType, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { indentUnit, bracketMatching, syntaxHighlighting, indentOnInput, foldGutter } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { go } from "@codemirror/lang-go";
import { classHighlighter } from "@lezer/highlight";

// Whether the last key pressed on the page was Tab. Focus that arrives in
// an editor by Tab moves on with the next Tab (CodeMirror's tab focus mode)
// until another key is pressed: a keyboard user tabbing through the page is
// never trapped, nor types tabs into the code. Once editing, Tab indents,
// and Escape then Tab leaves, as CodeMirror does by default.
let tabbing = false;
addEventListener("keydown", (e) => { tabbing = e.key === "Tab"; }, true);
addEventListener("pointerdown", () => { tabbing = false; }, true);

// Notes are sentences shown under a line, always visible (not on hover like
// a lint mark): why a value on that line escapes to the heap. Each is a
// block widget after its line, so it takes no column from the code and
// moves with the line while the text is edited around it.
const setNotesEffect = StateEffect.define();

class NoteWidget extends WidgetType {
  // note: {line, key, render() -> a DOM node, label}
  constructor(note) { super(); this.note = note; }
  eq(other) { return other.note.key === this.note.key; }
  toDOM() {
    const div = document.createElement("div");
    div.className = "cm-note";
    div.setAttribute("role", "note");
    if (this.note.label) div.setAttribute("aria-label", this.note.label);
    div.dataset.line = String(this.note.line);
    div.append(this.note.render());
    return div;
  }
  ignoreEvent() { return true; } // clicks on a note are the note's (its links), not the editor's
}

const notesField = StateField.define({
  create() { return Decoration.none; },
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setNotesEffect)) deco = e.value;
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// create makes an editor in parent. opts: doc, readOnly, label (the
// editor's accessible name), describedBy (the id of a help text),
// onChange(text), onSave(), onCheck().
export function create(parent, opts = {}) {
  const readOnly = new Compartment();
  const attrs = new Compartment();
  const contentAttrs = (label) => {
    // A tabindex makes the editor count as focusable content of its
    // scroller for tools that check that scrolling regions can be reached.
    const a = { "aria-label": label || "Code", tabindex: "0" };
    if (opts.describedBy) a["aria-describedby"] = opts.describedBy;
    return EditorView.contentAttributes.of(a);
  };
  const noop = () => {};
  const onChange = opts.onChange || noop;
  const onSave = opts.onSave || noop;
  const onCheck = opts.onCheck || noop;
  // Set while the page replaces the text, so that it is not reported as an edit.
  let replacing = false;

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc || "",
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        foldGutter(),
        lintGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        indentUnit.of("\t"),
        EditorState.tabSize.of(4),
        go(),
        syntaxHighlighting(classHighlighter),
        keymap.of([
          { key: "Shift-Enter", run: () => { onCheck(); return true; } },
          { key: "Mod-s", run: () => { onSave(); return true; }, preventDefault: true },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        notesField,
        readOnly.of(EditorState.readOnly.of(!!opts.readOnly)),
        attrs.of(contentAttrs(opts.label)),
        EditorView.domEventHandlers({
          focus(e, view) { if (tabbing) view.setTabFocusMode(60 * 60 * 1000); },
          mousedown(e, view) { view.setTabFocusMode(false); },
        }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !replacing) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    getValue() { return view.state.doc.toString(); },
    // setValue replaces the text, keeping the cursor where it was when it can.
    setValue(text) {
      if (text === view.state.doc.toString()) return;
      const head = Math.min(view.state.selection.main.head, text.length);
      replacing = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: head } });
      } finally {
        replacing = false;
      }
    },
    // setDiagnostics marks lines: list of {line, col, message, severity,
    // render} with 1-based line and column; the message shows on hover,
    // made by render() (a DOM node) when given.
    setDiagnostics(list) {
      const doc = view.state.doc;
      const diags = [];
      for (const d of list || []) {
        if (!d.line || d.line < 1 || d.line > doc.lines) continue;
        const line = doc.line(d.line);
        const from = d.col ? Math.min(line.from + d.col - 1, line.to) : line.from;
        const diag = { from, to: Math.max(from, line.to), severity: d.severity || "error", message: d.message };
        if (d.render) diag.renderMessage = () => d.render();
        diags.push(diag);
      }
      view.dispatch(setDiagnostics(view.state, diags));
    },
    // setNotes shows notes under lines: list of {line, render, label,
    // key}, with a 1-based line; render() makes the note's content (a DOM
    // node), label is its accessible name, and key tells a note from
    // another (an unchanged key is not redrawn). An empty list clears them.
    setNotes(list) {
      const doc = view.state.doc;
      const ranges = [];
      for (const n of list || []) {
        if (!n.line || n.line < 1 || n.line > doc.lines) continue;
        const note = { ...n, key: n.key || `${n.line}:${n.label || ""}` };
        ranges.push(Decoration.widget({ widget: new NoteWidget(note), block: true, side: 1 }).range(doc.line(n.line).to));
      }
      ranges.sort((a, b) => a.from - b.from);
      view.dispatch({ effects: setNotesEffect.of(Decoration.set(ranges)) });
    },
    // goTo puts the cursor at the start of a 1-based line and scrolls to it.
    goTo(lineNo) {
      const doc = view.state.doc;
      const line = doc.line(Math.max(1, Math.min(lineNo, doc.lines)));
      view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
      view.focus();
    },
    setReadOnly(b) { view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(!!b)) }); },
    // setLabel changes the editor's accessible name, e.g. to the open file's.
    setLabel(text) { view.dispatch({ effects: attrs.reconfigure(contentAttrs(text)) }); },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}
