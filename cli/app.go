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
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/roomclient"
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
	md             *markdown.Markdown
	noWarm         bool  // $WORKBOOK_NO_WARM: never start a background warm
	flags          flags // the subcommand's flags

	ws   *workspace.Workspace
	room *roomclient.Client // the workspace's link to a workshop room, its Reporter
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
				a.startWarm(a.ws, a.stderr)
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
	// Whatever the learner does through the workspace reaches the room it
	// joined, if any, from every front end.
	a.room = roomclient.ForWorkspace(a.ws)
	a.ws.Reporter = a.room
	return a.ws, nil
}

// findWorkspace finds an existing workspace as workspace does, without
// making one.
func (a *app) findWorkspace() (*workspace.Workspace, error) {
	if a.ws != nil {
		return a.ws, nil
	}
	if dir := firstNonEmpty(a.wsFlag, os.Getenv(workspace.EnvVar)); dir != "" {
		return workspace.Open(dir)
	}
	ws, err := workspace.Find(".")
	if errors.Is(err, workspace.ErrNotFound) {
		if root, ok := repoRoot(); ok {
			return workspace.Open(filepath.Join(root, defaultWorkspace))
		}
	}
	return ws, err
}

// textWidth is the width terminal text is wrapped at: 80 columns, or
// fewer when $COLUMNS says the terminal is narrower.
func textWidth() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("COLUMNS"), &n); err == nil && n > 20 && n < 80 {
		return n
	}
	return 80
}

// text writes Markdown (a task, a hint) for the terminal, wrapped.
func (a *app) text(src []byte, indent string) {
	a.md.Text(a.stdout, src, markdown.TextOptions{Indent: indent, Color: a.color, Width: textWidth()})
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
