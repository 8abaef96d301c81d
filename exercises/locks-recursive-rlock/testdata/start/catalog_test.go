package pricing

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// rates converts euro cents with fixed rates, in thousandths.
type rates map[string]int64

func (r rates) Convert(euroCents int64, currency string) (int64, error) {
	rate, ok := r[currency]
	if !ok {
		return 0, fmt.Errorf("no exchange rate for %s", currency)
	}
	return euroCents * rate / 1000, nil
}

var treasury = rates{"EUR": 1000, "CHF": 940, "SEK": 11500}

func springFeed(c *Catalog) {
	c.Update([]Product{
		{SKU: "SHOE-4411", Category: "shoes", ListCents: 10000},
		{SKU: "TENT-0207", Category: "outdoor", ListCents: 25000},
	}, map[string]int{"shoes": 20})
}

// The spring promotion on shoes ends, and the list price drops by as much:
// the price a shopper pays for SHOE-4411 stays 80.00 EUR.
func summerFeed(c *Catalog) {
	c.Update([]Product{
		{SKU: "SHOE-4411", Category: "shoes", ListCents: 8000},
	}, map[string]int{"outdoor": 10})
}

// price calls c.Price on another goroutine and fails the test if it has not
// returned after 5 seconds (it takes microseconds), showing where the
// catalog's goroutines wait.
func price(t *testing.T, c *Catalog, sku, currency string) (int64, error) {
	t.Helper()
	type result struct {
		cents int64
		err   error
	}
	done := make(chan result, 1)
	go func() {
		cents, err := c.Price(sku, currency)
		done <- result{cents, err}
	}()
	select {
	case r := <-done:
		return r.cents, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Price(%q, %q) has not returned after 5s: it is deadlocked. The goroutines waiting in the catalog:\n%s",
			sku, currency, catalogStacks())
		return 0, nil
	}
}

func TestPrice(t *testing.T) {
	c := NewCatalog(treasury)
	springFeed(c)

	for _, tc := range []struct {
		sku, currency string
		want          int64
	}{
		{"SHOE-4411", "EUR", 8000},   // 100.00 EUR - 20%
		{"SHOE-4411", "CHF", 7520},   // 94.00 CHF - 20%
		{"TENT-0207", "SEK", 287500}, // no promotion on outdoor
	} {
		if got, err := price(t, c, tc.sku, tc.currency); err != nil || got != tc.want {
			t.Errorf("Price(%q, %q) = %d, %v; want %d, nil", tc.sku, tc.currency, got, err, tc.want)
		}
	}
	if _, err := price(t, c, "SOCK-0001", "EUR"); err == nil {
		t.Error(`Price("SOCK-0001", "EUR") returned no error for an unknown SKU`)
	}
	if d := c.Discount("shoes"); d != 20 {
		t.Errorf(`Discount("shoes") = %d, want 20`, d)
	}
}

// feedDuringConvert is a Converter for euros that, on its first call, starts
// the summer feed's Update on another goroutine and answers only once that
// Update waits for the catalog's lock (or is done). It replays the moment the
// feed importer arrives while a product page is in the middle of Price.
type feedDuringConvert struct {
	c    *Catalog
	once sync.Once
}

func (f *feedDuringConvert) Convert(euroCents int64, currency string) (int64, error) {
	f.once.Do(func() {
		started := make(chan string)
		done := make(chan struct{})
		go func() {
			defer close(done)
			started <- goroutineID()
			summerFeed(f.c)
		}()
		waitUntilBlockedOrDone(<-started, done)
	})
	return treasury.Convert(euroCents, currency)
}

func TestPriceWhileFeedArrives(t *testing.T) {
	fx := &feedDuringConvert{}
	c := NewCatalog(fx)
	fx.c = c
	springFeed(c)

	got, err := price(t, c, "SHOE-4411", "EUR")
	if err != nil || got != 8000 {
		t.Errorf("Price(SHOE-4411, EUR) while the summer feed arrives = %d, %v; want 8000, nil: "+
			"the spring price with the spring promotion and the summer price with the summer promotions are both 80.00 EUR, "+
			"a price from one feed with the promotion of the other is not", got, err)
	}
	if got, err := price(t, c, "SHOE-4411", "EUR"); err != nil || got != 8000 {
		t.Errorf("Price(SHOE-4411, EUR) after the summer feed = %d, %v; want 8000, nil", got, err)
	}
}

// goroutineID returns the id of the calling goroutine, as stack traces show it.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _, _ := strings.Cut(strings.TrimPrefix(string(buf), "goroutine "), " ")
	return id
}

// waitUntilBlockedOrDone waits until goroutine id waits for a lock (its
// stack trace shows a state such as [sync.RWMutex.Lock]) or done is closed.
func waitUntilBlockedOrDone(id string, done <-chan struct{}) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return
		default:
		}
		for _, g := range goroutines() {
			if strings.HasPrefix(g, "goroutine "+id+" [sync.") || strings.HasPrefix(g, "goroutine "+id+" [semacquire") {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
}

// goroutines returns the stack traces of all goroutines.
func goroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Split(string(bytes.TrimSpace(buf)), "\n\n")
}

// catalogStacks describes the goroutines that are inside a method of Catalog:
// the state they wait in and the Catalog methods on their stacks, innermost
// first, for example
//
//	goroutine 7 [sync.RWMutex.RLock] in (*Catalog).Discount at catalog.go:51, called by (*Catalog).Price at catalog.go:68
func catalogStacks() string {
	var waiting []string
	for _, g := range goroutines() {
		lines := strings.Split(g, "\n")
		var frames []string
		for i := 1; i+1 < len(lines); i += 2 {
			fn, file := lines[i], strings.TrimSpace(lines[i+1])
			_, method, ok := strings.Cut(fn, ".(*Catalog).")
			if !ok {
				continue
			}
			method, _, _ = strings.Cut(method, "(")
			file, _, _ = strings.Cut(file, " ")
			frames = append(frames, fmt.Sprintf("(*Catalog).%s at %s", method, file[strings.LastIndex(file, "/")+1:]))
		}
		if len(frames) > 0 {
			waiting = append(waiting, strings.TrimSuffix(lines[0], ":")+" in "+strings.Join(frames, ", called by "))
		}
	}
	return strings.Join(waiting, "\n")
}
