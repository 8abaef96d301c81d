// Package experiments assigns the shop's users to the variants of A/B
// experiments.
package experiments

import (
	"hash/fnv"
	"math/rand"
)

// Experiment is an A/B test: Percent percent of the users get variant "B",
// the others "A".
type Experiment struct {
	Name    string
	Percent int
}

// Variant returns the variant the user sees in the experiment.
func (e Experiment) Variant(userID string) string {
	if Bucket(e.Name, userID) < e.Percent {
		return "B"
	}
	return "A"
}

// Bucket returns the user's bucket in the experiment, from 0 to 99. A user's
// bucket never changes: it is the same on every call, on every pod, and
// after every deploy, so that a user who once saw the new checkout keeps
// seeing it.
func Bucket(experiment, userID string) int {
	h := fnv.New64a()
	h.Write([]byte(experiment + "/" + userID))
	// A source of its own, seeded with the user's hash: the same sequence as
	// rand.Seed gave the global source before Go 1.24 made Seed a no-op.
	return rand.New(rand.NewSource(int64(h.Sum64()))).Intn(100)
}
