// Package ci is the CI pipeline of the payments service: `go run ./cmd/ci
// DIR PACKAGES...` runs it on every pull request, and a pull request merges
// only when every step passes.
package ci

// Step is one command of the pipeline.
type Step struct {
	Name string
	Args []string // the command and its arguments: "go", "test", ...
}

// Pipeline returns the steps that check the packages (for example "./...").
func Pipeline(pkgs ...string) []Step {
	return []Step{
		{Name: "build", Args: append([]string{"go", "build"}, pkgs...)},
		// copylocks, printf, lostcancel, loopclosure...: bugs that no test
		// of ours has to fail for.
		{Name: "vet", Args: append([]string{"go", "vet"}, pkgs...)},
		// -race: data races on the paths the tests run.
		// -shuffle=on: tests in random order, the seed printed to repeat it.
		// -count=2: every test twice in one process, which fails tests that
		// only pass on fresh package state (and skips the test cache).
		{Name: "test", Args: append([]string{"go", "test", "-race", "-shuffle=on", "-count=2"}, pkgs...)},
	}
}
