package match

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"testing"
	"time"

	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/obs"
)

type fakeSender struct {
	mu      sync.Mutex
	accepts map[string]bool
	delay   time.Duration
	offers  []string
}

func (f *fakeSender) SendOffer(ctx context.Context, driverID, offerID, line string) (bool, error) {
	f.mu.Lock()
	f.offers = append(f.offers, driverID)
	ok := f.accepts[driverID]
	f.mu.Unlock()
	select {
	case <-time.After(f.delay):
		return ok, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

func (f *fakeSender) Ping(ctx context.Context, driverID string) error {
	return ctx.Err()
}

func (f *fakeSender) Withdraw(ctx context.Context, driverID, offerID string) error {
	return nil
}

func newTestMatcher(t *testing.T, s Sender, drivers map[string]geo.Point) *Matcher {
	t.Helper()
	g := geo.NewGrid(0.01, 4)
	for id, p := range drivers {
		g.Upsert(geo.DriverPos{DriverID: id, Pos: p, Updated: time.Now(), Available: true})
	}
	return New(g, s, obs.NewMetrics(), log.New(io.Discard, "", 0), Config{OfferTTL: 500 * time.Millisecond})
}

func TestMatchFirstAcceptWins(t *testing.T) {
	s := &fakeSender{accepts: map[string]bool{"b": true}, delay: 10 * time.Millisecond}
	m := newTestMatcher(t, s, map[string]geo.Point{
		"a": {Lat: 10.000, Lng: 10.000},
		"b": {Lat: 10.001, Lng: 10.001},
	})
	got, err := m.Match(context.Background(), "t1", geo.Point{Lat: 10, Lng: 10}, 900)
	if err != nil {
		t.Fatalf("Match: %v", err)
	}
	if got != "b" {
		t.Fatalf("winner = %q, want b", got)
	}
}

func TestMatchNoCandidates(t *testing.T) {
	m := newTestMatcher(t, &fakeSender{}, nil)
	_, err := m.Match(context.Background(), "t1", geo.Point{Lat: 1, Lng: 1}, 900)
	if !errors.Is(err, ErrNoDriver) {
		t.Fatalf("err = %v, want ErrNoDriver", err)
	}
}

func TestMatchTimesOut(t *testing.T) {
	s := &fakeSender{accepts: map[string]bool{"a": true}, delay: time.Second}
	m := newTestMatcher(t, s, map[string]geo.Point{"a": {Lat: 3, Lng: 3}})
	start := time.Now()
	_, err := m.Match(context.Background(), "t1", geo.Point{Lat: 3, Lng: 3}, 900)
	if !errors.Is(err, ErrNoDriver) {
		t.Fatalf("err = %v, want ErrNoDriver", err)
	}
	if el := time.Since(start); el > 900*time.Millisecond {
		t.Fatalf("Match took %s, want about the offer TTL", el)
	}
	if n := m.InFlight(); n != 0 {
		t.Fatalf("%d matches still tracked", n)
	}
}

func TestWithdrawAllCountsSuccesses(t *testing.T) {
	m := newTestMatcher(t, &fakeSender{}, nil)
	if n := m.WithdrawAll(context.Background(), "o-1", []string{"a", "b", "c"}); n != 3 {
		t.Fatalf("WithdrawAll = %d, want 3", n)
	}
}
