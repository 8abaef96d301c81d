package offline

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

//go:embed proxy
var proxy embed.FS

// Write lays the embedded module proxy out in dir, leaving files that are
// already there with the same content alone, and returns the GOPROXY entry
// that serves it (a file:// URL).
func Write(dir string) (string, error) {
	err := fs.WalkDir(proxy, "proxy", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := proxy.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "proxy/")))
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
			return err
		}
		// Through a temporary file and a rename: another workbook may be
		// reading the proxy while this one writes it.
		tmp, err := os.CreateTemp(filepath.Dir(dst), "."+path.Base(p)+".tmp*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(data)
		cerr := tmp.Close()
		if werr != nil || cerr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write %s: %v", dst, werr)
		}
		if err := os.Rename(tmp.Name(), dst); err != nil {
			os.Remove(tmp.Name())
			return err
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("lay out the offline modules in %s: %w", dir, err)
	}
	return FileURL(dir), nil
}

// FileURL returns the file:// URL of a directory, as GOPROXY takes it
// ("file:///home/x/proxy", "file:///C:/Users/x/proxy").
func FileURL(dir string) string {
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// Modules lists the "path@version" of every module the proxy serves.
func Modules() []string {
	var mvs []string
	_ = fs.WalkDir(proxy, "proxy", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".mod") {
			dir, file := path.Split(p)
			mod := strings.TrimSuffix(strings.TrimPrefix(dir, "proxy/"), "/@v/")
			mvs = append(mvs, unescape(mod)+"@"+strings.TrimSuffix(file, ".mod"))
		}
		return nil
	})
	return mvs
}

// unescape undoes the module proxy protocol's case encoding ("!b" is "B").
func unescape(p string) string {
	var b strings.Builder
	up := false
	for _, r := range p {
		switch {
		case r == '!':
			up = true
			continue
		case up:
			r -= 'a' - 'A'
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
