package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var errInvalidNumber = errors.New("provider: invalid number")

// fakeProvider accepts every message except to numbers starting with +999,
// and counts the segments it accepted: what the SMS gateway bills us for.
type fakeProvider struct {
	billed atomic.Int64
	gate   *gate // nil: answer at once
}

func (p *fakeProvider) Send(ctx context.Context, to, body string) error {
	if p.gate != nil {
		p.gate.hold()
	}
	if strings.HasPrefix(to, "+999") {
		return errInvalidNumber
	}
	p.billed.Add(Segments(body))
	return nil
}

// A gate plays the provider's 200 ms in a way that does not depend on timing:
// it holds every message it gets until each of the campaign's senders has
// either reached the provider or returned from Send. So every sender that is
// going to get past the credit check has done so before any message is
// answered.
type gate struct {
	senders int // of the campaign
	open    chan struct{}

	mu        sync.Mutex
	accounted int // senders at the provider or returned from Send
	inside    int // messages at the provider now
	maxInside int
	timedOut  bool
}

func newGate(senders int) *gate { return &gate{senders: senders, open: make(chan struct{})} }

// account counts a sender that returned from Send, or arrived at the provider
// (with g.mu held).
func (g *gate) account() {
	g.accounted++
	if g.accounted == g.senders {
		close(g.open)
	}
}

// returned is called by a sender when Send has returned.
func (g *gate) returned() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.account()
}

// hold is called by the provider for each message.
func (g *gate) hold() {
	g.mu.Lock()
	g.account()
	g.inside++
	g.maxInside = max(g.maxInside, g.inside)
	last := g.accounted
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inside--
		g.mu.Unlock()
	}()

	// Wait for the other senders. If none of them moves on for half a second
	// (five quiet windows of 100 ms, so that a machine busy elsewhere cannot
	// fake it), Send must be holding them back while this message is at the
	// provider: stop waiting for them.
	for quiet := 0; quiet < 5; {
		select {
		case <-g.open:
			return
		case <-time.After(100 * time.Millisecond):
		}
		g.mu.Lock()
		if g.accounted == last {
			quiet++
		} else {
			quiet, last = 0, g.accounted
		}
		g.mu.Unlock()
	}
	g.mu.Lock()
	if !g.timedOut && g.accounted < g.senders {
		g.timedOut = true
		g.accounted = g.senders
		close(g.open)
	}
	g.mu.Unlock()
}

// campaign sends one message per recipient, all at once, through acct, and
// returns how many were sent.
func campaign(acct *Account, g *gate, recipients []string, body func(i int) string) (sent int64) {
	var n atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, to := range recipients {
		wg.Go(func() {
			<-start
			err := acct.Send(context.Background(), to, body(i))
			if g != nil {
				g.returned()
			}
			if err == nil {
				n.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	return n.Load()
}

func recipients(n int) []string {
	var r []string
	for i := range n {
		r = append(r, fmt.Sprintf("+4479460%05d", i))
	}
	return r
}

func short(int) string { return "Your order SO-1042 has shipped." }

// TestCampaignWithinCredits: an account with enough credits for the whole
// campaign.
func TestCampaignWithinCredits(t *testing.T) {
	p := &fakeProvider{}
	acct := NewAccount("acme-retail", 50, p)
	if sent := campaign(acct, nil, recipients(20), short); sent != 20 {
		t.Errorf("sent %d of 20 messages with 50 credits", sent)
	}
	if got := acct.Credits(); got != 30 || p.billed.Load() != 20 {
		t.Errorf("after 20 one-segment messages from 50 credits: %d credits left, provider billed %d; want 30 left, 20 billed", got, p.billed.Load())
	}
	if err := acct.Send(context.Background(), "+99912345", "hello"); !errors.Is(err, errInvalidNumber) || acct.Credits() != 30 {
		t.Errorf("a message the provider rejects: error %v, %d credits left; want %v and 30 left", err, acct.Credits(), errInvalidNumber)
	}
}

// TestCampaignOverCredits: 25 recipients, credits for 10.
func TestCampaignOverCredits(t *testing.T) {
	g := newGate(25)
	p := &fakeProvider{gate: g}
	acct := NewAccount("acme-retail", 10, p)

	sent := campaign(acct, g, recipients(25), short)

	if billed, left := p.billed.Load(), acct.Credits(); billed != 10 || sent != 10 || left != 0 {
		t.Errorf("campaign to 25 recipients with 10 credits: sent %d, provider billed %d segments, %d credits left; want 10 sent and billed, 0 left", sent, billed, left)
	}
	if g.timedOut && g.maxInside < 2 {
		t.Errorf("the provider never had two messages at once: Send makes the campaign's messages wait for each other's 200 ms at the provider")
	}
}
