package flaginit

import "testing"

func TestPath(t *testing.T) {
	if Path() != "app.yaml" {
		t.Fatal(Path())
	}
}
