package edgeconf

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// routesJSON returns version v of routes.json: every field is derived from v,
// so a request can tell whether its config is all of one version.
func routesJSON(v int) []byte {
	return fmt.Appendf(nil, `{"version": %d, "upstreams": ["orders-%d-a.internal:8443", "orders-%d-b.internal:8443"], "rate_limit": %d, "timeout_ms": %d}`,
		v, v, v, 100*v, 10*v)
}

// consistent reports what is wrong with cfg, if it mixes versions.
func consistent(cfg Config) error {
	v := cfg.Version
	if len(cfg.Upstreams) != 2 || cfg.Upstreams[0] != fmt.Sprintf("orders-%d-a.internal:8443", v) ||
		cfg.RateLimit != 100*v || cfg.TimeoutMS != 10*v {
		return fmt.Errorf("a config mixing versions: %+v", cfg)
	}
	return nil
}

func TestCurrentBeforeAndAfterApply(t *testing.T) {
	var s Store
	if cfg, ok := s.Current(); ok {
		t.Errorf("Current before any Apply = %+v, true; want false", cfg)
	}
	if err := s.Apply(routesJSON(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply([]byte(`{"version": 2, "upstreams": []}`)); err == nil {
		t.Errorf("Apply of a config without upstreams: no error")
	}
	cfg, ok := s.Current()
	if !ok || cfg.Version != 1 || consistent(cfg) != nil {
		t.Errorf("Current after applying version 1 and rejecting version 2 = %+v, %v; want version 1", cfg, ok)
	}
}

// serveDuringReloads starts readers request goroutines that read the config
// in force, over and over, until reload has returned; reload runs once every
// one of them is serving, so that the reloads happen while requests read.
// Every config a request sees must be one whole version, and versions never
// go back.
func serveDuringReloads(t *testing.T, s *Store, readers int, reload func()) {
	var serving, wg sync.WaitGroup
	var reloaded atomic.Bool
	serving.Add(readers)
	for range readers {
		wg.Go(func() {
			signalled := false
			defer func() {
				if !signalled { // it failed before it was serving
					serving.Done()
				}
			}()
			last := 0
			for !reloaded.Load() {
				cfg, ok := s.Current()
				if !ok {
					t.Errorf("Current: no config in force, after version 1 was applied")
					return
				}
				if err := consistent(cfg); err != nil {
					t.Error(err)
					return
				}
				if cfg.Version < last {
					t.Errorf("a request saw version %d after version %d", cfg.Version, last)
					return
				}
				last = cfg.Version
				if !signalled {
					signalled = true
					serving.Done()
				}
				runtime.Gosched() // let the reloads run, even on one CPU
			}
		})
	}
	serving.Wait()
	reload()
	reloaded.Store(true)
	wg.Wait()
}

// TestReloadWhileServing applies versions 2 to 20, one after the other, while
// 4 request goroutines read the config in force, as on a SIGHUP at peak
// traffic.
func TestReloadWhileServing(t *testing.T) {
	var s Store
	if err := s.Apply(routesJSON(1)); err != nil { // at startup
		t.Fatal(err)
	}
	serveDuringReloads(t, &s, 4, func() {
		for v := 2; v <= 20; v++ {
			if err := s.Apply(routesJSON(v)); err != nil {
				t.Error(err)
			}
			runtime.Gosched()
		}
	})
	if cfg, _ := s.Current(); cfg.Version != 20 {
		t.Errorf("after the reloads: version %d in force, want 20", cfg.Version)
	}
}
