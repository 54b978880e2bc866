package sfu

import (
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

type chanSink struct{ ch chan Packet }

func (s chanSink) WritePacket(p Packet) error {
	select {
	case s.ch <- p:
		return nil
	case <-time.After(time.Second):
		return errors.New("test sink full")
	}
}

func newTestParticipant(t *testing.T, id string) (*Participant, chan Packet) {
	t.Helper()
	ch := make(chan Packet, 16)
	p := NewParticipant(id, "user-"+id, chanSink{ch}, 8, log.New(io.Discard, "", 0))
	t.Cleanup(p.Close)
	return p, ch
}

func TestJoinAndRoster(t *testing.T) {
	r := NewRoom("r1", 0, log.New(io.Discard, "", 0))
	a, _ := newTestParticipant(t, "a")
	b, _ := newTestParticipant(t, "b")
	for _, p := range []*Participant{a, b} {
		if err := r.Join(p); err != nil {
			t.Fatalf("join %s: %v", p.ID(), err)
		}
	}
	if err := r.Join(a); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate join: got %v", err)
	}
	if got := len(r.Roster()); got != 2 {
		t.Fatalf("roster has %d entries, want 2", got)
	}
}

func TestBroadcastSkipsSender(t *testing.T) {
	r := NewRoom("r2", 0, log.New(io.Discard, "", 0))
	a, aout := newTestParticipant(t, "a")
	b, bout := newTestParticipant(t, "b")
	if err := r.Join(a); err != nil {
		t.Fatal(err)
	}
	if err := r.Join(b); err != nil {
		t.Fatal(err)
	}
	if n := r.Broadcast("a", Packet{SSRC: 1, Seq: 7}); n != 1 {
		t.Fatalf("delivered to %d, want 1", n)
	}
	select {
	case pkt := <-bout:
		if pkt.Seq != 7 {
			t.Fatalf("got seq %d", pkt.Seq)
		}
	case <-time.After(time.Second):
		t.Fatal("b never received the packet")
	}
	select {
	case <-aout:
		t.Fatal("sender received its own packet")
	default:
	}
}

func TestEnqueueDropsWhenFull(t *testing.T) {
	p := NewParticipant("slow", "slow", chanSink{make(chan Packet)}, 2, log.New(io.Discard, "", 0))
	defer p.Close()
	accepted := 0
	for i := 0; i < 5; i++ {
		if p.Enqueue(Packet{Seq: uint16(i)}) {
			accepted++
		}
	}
	if accepted != 2 {
		t.Fatalf("accepted %d packets, want 2 (queue size)", accepted)
	}
	if info := p.Info(); info.Dropped != 3 {
		t.Fatalf("dropped = %d, want 3", info.Dropped)
	}
}

func TestRegistryGetOrCreate(t *testing.T) {
	g := NewRegistry(4, log.New(io.Discard, "", 0))
	r1 := g.GetOrCreate("standup")
	r2 := g.GetOrCreate("standup")
	if r1 != r2 {
		t.Fatal("GetOrCreate returned two different rooms for one id")
	}
	if _, ok := g.Lookup("retro"); ok {
		t.Fatal("unexpected room")
	}
}
