package frontmatter

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: x\n---\nbody"))
	f.Add([]byte("---\r\ntitle: x\r\n---\r\n"))
	f.Add([]byte("---\n---"))
	f.Add([]byte("\ufeff---\nhints: [a, b]\n---\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var meta struct {
			Title string   `yaml:"title"`
			Hints []string `yaml:"hints"`
		}
		body, err := Parse(doc, &meta)
		if err != nil {
			return
		}
		if len(body) > len(doc) {
			t.Fatalf("body longer than the document")
		}
	})
}

func TestParse(t *testing.T) {
	tests := []struct {
		doc, title, body, err string
	}{
		{"---\ntitle: A\n---\nbody\n", "A", "body\n", ""},
		{"\ufeff---\r\ntitle: B\r\n---\r\n", "B", "", ""},
		{"---\ntitle: C\n---", "C", "", ""},
		{"title: D\n", "", "", "no front matter"},
		{"---\ntitle: E\n", "", "", "not closed"},
		{"---\ntitel: F\n---\n", "", "", "field titel not found"},
	}
	for _, tt := range tests {
		var meta struct {
			Title string `yaml:"title"`
		}
		body, err := Parse([]byte(tt.doc), &meta)
		switch {
		case tt.err != "" && (err == nil || !contains(err.Error(), tt.err)):
			t.Errorf("Parse(%q): got error %v, want %q", tt.doc, err, tt.err)
		case tt.err == "" && (err != nil || meta.Title != tt.title || string(body) != tt.body):
			t.Errorf("Parse(%q): got %q, %q, %v; want %q, %q", tt.doc, meta.Title, body, err, tt.title, tt.body)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
