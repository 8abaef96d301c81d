// Package offline holds the Go modules that checks need beyond the standard
// library (go.uber.org/goleak), as the files of a module proxy embedded in the
// binary. The runner lays them out in a directory and puts that directory
// first in GOPROXY (GOPROXY=file://DIR,…), so that a check builds with no
// network and an empty module cache, and never asks the learner's proxy for
// what the workbook ships.
//
// proxy/ is generated from the Go module proxy by `go generate ./offline`
// (see gen.go), for the module versions that exercises/go.sum lists; the go
// command verifies what it reads from here against the go.sum every check
// writes, as it would from any proxy.
package offline

//go:generate go run gen.go
