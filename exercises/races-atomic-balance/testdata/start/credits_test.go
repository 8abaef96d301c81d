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

// gatedBalance is a Balance whose Load reads the credits and then waits at a
// gate: the campaign's senders all read the balance before any of them can
// change it. That is the unlucky moment a busy campaign reaches now and then;
// the gate makes it happen every time.
type gatedBalance struct {
	atomic.Int64
	gate *gate
}

func (b *gatedBalance) Load() int64 {
	v := b.Int64.Load()
	b.gate.hold()
	return v
}

// A gate makes a campaign's senders meet, so that the outcome does not depend
// on timing. It holds every sender that reaches it until each of the
// campaign's senders has either reached it or returned from Send; after that
// it is open for good. At the provider, it plays the 200 ms that give every
// other sender time to pass the credit check; at the balance, it makes every
// sender read the credits before any of them takes some.
type gate struct {
	senders int // of the campaign
	open    chan struct{}

	mu        sync.Mutex
	accounted int // senders at the gate or returned from Send
	inside    int // senders held at the gate now
	maxInside int
	timedOut  bool
}

func newGate(senders int) *gate { return &gate{senders: senders, open: make(chan struct{})} }

// account counts a sender that returned from Send, or arrived at the gate
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

// hold is called by the provider for each message, or by the balance for
// each Load.
func (g *gate) hold() {
	select {
	case <-g.open:
		return
	default:
	}
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
	// fake it), Send must be holding them back with a lock while this one is
	// at the gate: stop waiting for them.
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
// returns how many were sent and the costs of the messages refused for lack
// of credits. Every gate is told when a sender returns.
func campaign(acct *Account, gates []*gate, recipients []string, body func(i int) string) (sent int64, refused []int64) {
	var n atomic.Int64
	var mu sync.Mutex
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, to := range recipients {
		wg.Go(func() {
			<-start
			err := acct.Send(context.Background(), to, body(i))
			for _, g := range gates {
				g.returned()
			}
			switch {
			case err == nil:
				n.Add(1)
			case errors.Is(err, ErrNoCredits):
				mu.Lock()
				refused = append(refused, Segments(body(i)))
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return n.Load(), refused
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
	acct := NewAccount("acme-retail", NewBalance(50), p)
	if sent, _ := campaign(acct, nil, recipients(20), short); sent != 20 {
		t.Errorf("sent %d of 20 messages with 50 credits", sent)
	}
	if got := acct.Credits(); got != 30 || p.billed.Load() != 20 {
		t.Errorf("after 20 one-segment messages from 50 credits: %d credits left, provider billed %d; want 30 left, 20 billed", got, p.billed.Load())
	}
	if err := acct.Send(context.Background(), "+99912345", "hello"); !errors.Is(err, errInvalidNumber) || acct.Credits() != 30 {
		t.Errorf("a message the provider rejects: error %v, %d credits left; want %v and 30 left", err, acct.Credits(), errInvalidNumber)
	}
}

// TestCampaignOverCredits: 25 recipients, credits for 10. The gates make every
// sender read the balance before any of them changes it, and hold every
// message at the provider until each sender has got there or been refused.
func TestCampaignOverCredits(t *testing.T) {
	atBalance, atProvider := newGate(25), newGate(25)
	balance := &gatedBalance{gate: atBalance}
	balance.Store(10)
	p := &fakeProvider{gate: atProvider}
	acct := NewAccount("acme-retail", balance, p)

	sent, _ := campaign(acct, []*gate{atBalance, atProvider}, recipients(25), short)

	if billed, left := p.billed.Load(), acct.Credits(); billed != 10 || sent != 10 || left != 0 {
		t.Errorf("campaign to 25 recipients with 10 credits: sent %d, provider billed %d segments, %d credits left; want 10 sent and billed, 0 left", sent, billed, left)
	}
}

// TestCampaignSendsTogether: 8 recipients, credits for all of them. The
// provider holds each message until all 8 have got there: Send must not make
// a message wait for another one's 200 ms at the provider.
func TestCampaignSendsTogether(t *testing.T) {
	atProvider := newGate(8)
	p := &fakeProvider{gate: atProvider}
	acct := NewAccount("acme-retail", NewBalance(8), p)

	sent, _ := campaign(acct, []*gate{atProvider}, recipients(8), short)

	if atProvider.timedOut {
		t.Errorf("the provider had at most %d of the campaign's 8 messages at once, want all 8: Send makes the messages wait for each other's 200 ms at the provider", atProvider.maxInside)
	}
	if sent != 8 || acct.Credits() != 0 {
		t.Errorf("campaign to 8 recipients with 8 credits: sent %d, %d credits left; want 8 sent, 0 left", sent, acct.Credits())
	}
}
