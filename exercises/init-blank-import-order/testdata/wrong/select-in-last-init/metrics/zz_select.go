package metrics

import "os"

// zz_select.go sorts after every other file, and init functions run after
// all package-level variables are initialized: by now the backends have
// registered.
func init() {
	active = selectBackend(os.Getenv("METRICS_BACKEND"))
}
