// The workbook's code editor: CodeMirror 6 with Go highlighting, line numbers,
// tab indentation, bracket matching and lint marks, behind a small API that
// site/static/app.js uses. `npm run build` bundles it into ../static/editor.js.
import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
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
