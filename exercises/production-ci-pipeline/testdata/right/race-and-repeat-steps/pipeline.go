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
		{Name: "vet", Args: append([]string{"go", "vet"}, pkgs...)},
		// The race detector slows tests down 2 to 20 times: run them once
		// with it, and then three times without it, to find the tests that
		// depend on state an earlier run left behind. Both in random order.
		{Name: "race", Args: append([]string{"go", "test", "-race", "-shuffle=on", "-count=1"}, pkgs...)},
		{Name: "repeat", Args: append([]string{"go", "test", "-shuffle=on", "-count=3"}, pkgs...)},
	}
}
