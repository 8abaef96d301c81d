// Package frontmatter splits the YAML front matter off a Markdown document:
// exercises and lessons both start with one.
package frontmatter

import (
	"bytes"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Parse splits a Markdown document that starts with a YAML front
// matter block ("---" lines around it), decodes the block into v (unknown
// fields are an error) and returns the Markdown body.
func Parse(doc []byte, v any) (body []byte, err error) {
	doc = bytes.TrimPrefix(doc, []byte("\ufeff"))
	doc = bytes.ReplaceAll(doc, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(doc, []byte("---\n"))
	if !ok {
		return nil, errors.New("no front matter: the file must start with a line ---")
	}
	var meta []byte
	if m, b, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
		meta, body = m, b
	} else if m, ok := bytes.CutSuffix(rest, []byte("\n---")); ok {
		meta = m
	} else {
		return nil, errors.New("front matter is not closed by a line ---")
	}
	dec := yaml.NewDecoder(bytes.NewReader(meta))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	return body, nil
}
