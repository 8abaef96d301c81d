package experiments

import "testing"

// The buckets of a few users, as the service has assigned them since the
// experiment started.
var assigned = []struct {
	experiment, user string
	bucket           int
}{
	{"checkout-v2", "u-1001", 47},
	{"checkout-v2", "u-1002", 69},
	{"checkout-v2", "u-1003", 41},
	{"free-shipping-banner", "u-1001", 25},
	{"free-shipping-banner", "u-2718", 24},
}

func TestBucketsAreStable(t *testing.T) {
	for _, a := range assigned {
		for i := range 3 {
			if got := Bucket(a.experiment, a.user); got != a.bucket {
				t.Errorf("call %d: Bucket(%q, %q) = %d, want %d, the bucket this user has had since the experiment started", i+1, a.experiment, a.user, got, a.bucket)
			}
		}
	}
}

func TestVariant(t *testing.T) {
	e := Experiment{Name: "checkout-v2", Percent: 50}
	if got := e.Variant("u-1003"); got != "B" {
		t.Errorf("u-1003 in bucket 41 of a 50%% experiment: got variant %q, want \"B\"", got)
	}
	if got := e.Variant("u-1002"); got != "A" {
		t.Errorf("u-1002 in bucket 69 of a 50%% experiment: got variant %q, want \"A\"", got)
	}
}
