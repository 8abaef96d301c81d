package vetme

import "testing"

func TestGet(t *testing.T) {
	c := Cache{m: map[string]string{"a": "b"}}
	if c.Get("a") != "b" {
		t.Errorf("want %s", 3)
	}
}
