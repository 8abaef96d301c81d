package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/go-blindspots/workbook/exercises"
)

func catalog(t *testing.T, names ...string) *exercises.Catalog {
	t.Helper()
	fsys := fstest.MapFS{"go.sum": {Data: []byte("")}}
	for i, name := range names {
		topic, _, _ := strings.Cut(name, "-")
		fsys[name+"/exercise.md"] = &fstest.MapFile{Data: []byte("---\ntitle: T\ntopic: " + topic + "\nlesson: " + topic +
			"#x\norder: " + string(rune('1'+i)) + "\nhints: [a, b]\nwrong: [{name: w, why: y}]\n---\nTask.\n")}
		fsys[name+"/check.txtar"] = &fstest.MapFile{Data: []byte("go test .\n")}
		fsys[name+"/testdata/start/app.go"] = &fstest.MapFile{Data: []byte("package app // shipped\n")}
		fsys[name+"/testdata/start/app_test.go"] = &fstest.MapFile{Data: []byte("package app\n")}
		fsys[name+"/testdata/solution/app.go"] = &fstest.MapFile{Data: []byte("package app // fixed\n")}
		fsys[name+"/testdata/wrong/w/app.go"] = &fstest.MapFile{Data: []byte("package app // wrong\n")}
	}
	cat, err := exercises.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestCreateFindAndSync(t *testing.T) {
	root := filepath.Join(t.TempDir(), "ws")
	ws, err := Create(root, catalog(t, "races-a"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.work", "README.md", ".workbook/workspace.json", "races-a/app.go", "races-a/app_test.go", "races-a/go.mod"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	found, err := Find(filepath.Join(root, "races-a"))
	if err != nil || found.Root != ws.Root {
		t.Fatalf("Find from an exercise dir: got %v, %v; want %s", found, err, ws.Root)
	}
	if _, err := Find(t.TempDir()); err != ErrNotFound {
		t.Errorf("Find outside: got %v, want ErrNotFound", err)
	}
	// The learner's edit survives a Sync that brings a new exercise.
	edited := []byte("package app // mine\n")
	if err := os.WriteFile(filepath.Join(root, "races-a", "app.go"), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ws.Sync(catalog(t, "races-a", "leaks-b")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "races-a", "app.go")); string(got) != string(edited) {
		t.Errorf("Sync changed the learner's file: %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "leaks-b", "app.go")); err != nil {
		t.Errorf("Sync did not add the new exercise: %v", err)
	}
	if work, _ := os.ReadFile(filepath.Join(root, "go.work")); !strings.Contains(string(work), "./leaks-b") {
		t.Errorf("go.work lacks the new exercise:\n%s", work)
	}
	// Creating over a directory with files is refused; over a workspace it is a Sync.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("x"), 0o644)
	if _, err := Create(other, catalog(t, "races-a")); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Create over files: got %v, want a refusal", err)
	}
	if _, err := Create(root, catalog(t, "races-a")); err != nil {
		t.Errorf("Create over a workspace: %v", err)
	}
}

func TestResetKeepsABackup(t *testing.T) {
	cat := catalog(t, "races-a")
	ws, err := Create(t.TempDir(), cat)
	if err != nil {
		t.Fatal(err)
	}
	ex := cat.List[0]
	dir := ws.Dir(ex.Name)
	os.WriteFile(filepath.Join(dir, "app.go"), []byte("package app // mine\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "helper.go"), []byte("package app // added\n"), 0o644)
	ws.Update(func(p *Progress) error { p.Status(ex.Name).Done = true; return nil })

	backup, err := ws.Reset(ex)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "app.go")); string(got) != "package app // shipped\n" {
		t.Errorf("after reset app.go = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "helper.go")); !os.IsNotExist(err) {
		t.Errorf("after reset the added file is still there: %v", err)
	}
	for name, want := range map[string]string{"app.go": "package app // mine\n", "helper.go": "package app // added\n"} {
		if got, _ := os.ReadFile(filepath.Join(backup, name)); string(got) != want {
			t.Errorf("backup %s = %q, want %q", name, got, want)
		}
	}
	if got := ws.Backups(ex.Name); len(got) != 1 || got[0] != backup {
		t.Errorf("Backups = %v, want [%s]", got, backup)
	}
	p, _ := ws.Progress()
	if p.Done(ex.Name) || p.Status(ex.Name).Resets != 1 {
		t.Errorf("after reset: %+v", p.Status(ex.Name))
	}
}

func TestUpdateLosesNothingUnderConcurrency(t *testing.T) {
	ws, err := Create(t.TempDir(), catalog(t, "races-a"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if err := ws.Update(func(p *Progress) error { p.Status("races-a").Checks++; return nil }); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p, err := ws.Progress()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Status("races-a").Checks; got != n {
		t.Errorf("checks = %d, want %d", got, n)
	}
}

func TestDamagedProgressIsReported(t *testing.T) {
	ws, err := Create(t.TempDir(), catalog(t, "races-a"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(ws.Root, StateDir, "progress.json"), []byte("{\"exer"), 0o644)
	if _, err := ws.Progress(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("got %v, want an error that says the file is damaged", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "main.go")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(got) != "new" || st.Mode().Perm() != 0o600 {
		t.Errorf("got %q mode %v, want \"new\" mode 0600", got, st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestSymlinksOutOfTheWorkspaceAreRefused: an exercise directory, a package
// directory or a file that is a symbolic link to somewhere outside the
// workspace is never read or written through; the refusal is one sentence.
func TestSymlinksOutOfTheWorkspaceAreRefused(t *testing.T) {
	cat := catalog(t, "races-a")
	ex, _ := cat.Lookup("races-a")
	outside := t.TempDir()
	secret := filepath.Join(outside, "app.go")
	if err := os.WriteFile(secret, []byte("package app // outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		link func(ws *Workspace) error
	}{
		{"exercise directory", func(ws *Workspace) error {
			if err := os.RemoveAll(ws.Dir("races-a")); err != nil {
				return err
			}
			return os.Symlink(outside, ws.Dir("races-a"))
		}},
		{"file", func(ws *Workspace) error {
			p := filepath.Join(ws.Dir("races-a"), "app.go")
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Symlink(secret, p)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := Create(filepath.Join(t.TempDir(), "ws"), cat)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.link(ws); err != nil {
				t.Fatal(err)
			}
			const sentence = "leads outside the workspace"
			if _, err := ws.Files("races-a"); err == nil || !strings.Contains(err.Error(), sentence) {
				t.Errorf("Files: got %v, want an error saying it %s", err, sentence)
			}
			if _, err := ws.Save(ex, map[string]string{"app.go": "package app // mine\n"}, nil, 1<<20); err == nil || !strings.Contains(err.Error(), sentence) {
				t.Errorf("Save: got %v, want an error saying it %s", err, sentence)
			}
			if _, err := ws.Reset(ex); err == nil || !strings.Contains(err.Error(), sentence) {
				t.Errorf("Reset: got %v, want an error saying it %s", err, sentence)
			}
			if got, _ := os.ReadFile(secret); string(got) != "package app // outside\n" {
				t.Errorf("the file outside the workspace was written: %q", got)
			}
		})
	}
}

// TestResetReadsProgressFirst: with a damaged progress file, reset says so
// and leaves the learner's code where it is.
func TestResetReadsProgressFirst(t *testing.T) {
	cat := catalog(t, "races-a")
	ex, _ := cat.Lookup("races-a")
	ws, err := Create(filepath.Join(t.TempDir(), "ws"), cat)
	if err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(ws.Dir("races-a"), "app.go")
	if err := os.WriteFile(mine, []byte("package app // mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws.Root, StateDir, "progress.json"), []byte("{torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Reset(ex); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("Reset with a damaged progress file: got %v, want an error saying it is damaged", err)
	}
	if got, _ := os.ReadFile(mine); string(got) != "package app // mine\n" {
		t.Errorf("the learner's code was touched: %q", got)
	}
	if backups := ws.Backups("races-a"); len(backups) != 0 {
		t.Errorf("a backup was made: %q", backups)
	}
}
