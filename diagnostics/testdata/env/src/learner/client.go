package client

import (
	"io"
	"net/http"
	"os"
)

// Fetch returns the body of url.
func Fetch(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// OpenAll opens the file n times and never closes it.
func OpenAll(name string, n int) error {
	for range n {
		if _, err := os.Open(name); err != nil {
			return err
		}
	}
	return nil
}

// Save writes the report to name.
func Save(name string) error {
	return os.WriteFile(name, []byte("report"), 0o644)
}
