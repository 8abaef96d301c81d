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
		{Name: "vet", Args: append([]string{"go", "vet"}, pkgs...)},
		{Name: "test", Args: append([]string{"go", "test", "-race", "-shuffle=on"}, pkgs...)},
	}
}
