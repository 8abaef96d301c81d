package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// modulePath identifies a clone of the workbook's repository.
const modulePath = "github.com/go-blindspots/workbook"

// defaultWorkspace is the workspace directory in a clone (git ignores it).
const defaultWorkspace = "my-workspace"

// app is one invocation of the command.
type app struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	cat            *exercises.Catalog
	wsFlag         string
	color          bool

	ws *workspace.Workspace
}

// workspace finds the workspace the command acts on: --workspace, then
// $WORKBOOK_WORKSPACE, then the current directory and its parents, then — in a
// clone of the repository — ./my-workspace, created on the fly.
func (a *app) workspace() (*workspace.Workspace, error) {
	if a.ws != nil {
		return a.ws, nil
	}
	var err error
	switch dir := firstNonEmpty(a.wsFlag, os.Getenv(workspace.EnvVar)); {
	case dir != "":
		a.ws, err = workspace.Open(dir)
	default:
		a.ws, err = workspace.Find(".")
		if errors.Is(err, workspace.ErrNotFound) {
			root, ok := repoRoot()
			if !ok {
				return nil, usagef("no workbook workspace in this directory or its parents: run `workbook init` to make one, or pass --workspace DIR")
			}
			dir := filepath.Join(root, defaultWorkspace)
			_, statErr := os.Stat(dir)
			if statErr != nil {
				fmt.Fprintf(a.stderr, "Creating your workspace in %s (edit the exercises there).\n", dir)
			}
			if a.ws, err = workspace.Create(dir, a.cat); err == nil && statErr != nil {
				a.startWarm(a.stderr)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	// New exercises from an upgraded workbook appear in an old workspace.
	if err := a.ws.Sync(a.cat); err != nil {
		return nil, err
	}
	return a.ws, nil
}

// progress returns the workspace and the learner's progress in it.
func (a *app) progress() (*workspace.Workspace, *workspace.Progress, error) {
	ws, err := a.workspace()
	if err != nil {
		return nil, nil, err
	}
	p, err := ws.Progress()
	return ws, p, err
}

// newRunner resolves the Go toolchain; its error says what to install.
func (a *app) newRunner() (*runner.Runner, error) {
	return runner.New(a.ctx)
}

// exercise resolves a name given on the command line.
func (a *app) exercise(name string) (*exercises.Exercise, error) {
	return a.cat.Lookup(name)
}

// current returns the exercise the learner is on: the current one if it is not
// done, else the first one not done. It returns nil when all are done.
func (a *app) current(p *workspace.Progress) *exercises.Exercise {
	if p.Current != "" && !p.Done(p.Current) {
		if ex, err := a.cat.Lookup(p.Current); err == nil {
			return ex
		}
	}
	for _, ex := range a.cat.List {
		if !p.Done(ex.Name) {
			return ex
		}
	}
	return nil
}

// repoRoot returns the root of the clone of the workbook's repository that
// contains the current directory, if any.
func repoRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(data, []byte("module "+modulePath+"\n")) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
