package plugin

import (
	"io"
	"log"
	"strings"
	"testing"
	"time"
)

type panicky struct{}

func (panicky) Name() string               { return "panicky" }
func (panicky) Next(LotView) (int64, bool) { panic("strategy bug") }

func TestProposeRecoversPanic(t *testing.T) {
	h := NewHost(log.New(io.Discard, "", 0))
	_, _, err := h.Propose(panicky{}, LotView{LotID: "L", Budget: 100})
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("err = %v", err)
	}
	if h.Panics() != 1 {
		t.Fatalf("panics = %d", h.Panics())
	}
}

func TestTournamentPicksHighest(t *testing.T) {
	h := NewHost(log.New(io.Discard, "", 0))
	for _, b := range []Bidder{Proxy{Owner: "a", Max: 2000}, Sniper{Owner: "b", Max: 5000, Within: time.Minute}} {
		if err := h.Register(b, nil); err != nil {
			t.Fatal(err)
		}
	}
	name, amt, err := h.Tournament(LotView{LotID: "L", Current: 1000, Increment: 100, Remaining: 30 * time.Second, Budget: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if name != "proxy:a" && name != "sniper:b" || amt != 1100 {
		t.Fatalf("winner %s %d", name, amt)
	}
}
