package game

import (
	"testing"

	"example.com/gamesrv/internal/protocol"
)

type fakeSub struct {
	id  string
	got []protocol.Frame
}

func (f *fakeSub) ID() string { return f.id }

func (f *fakeSub) Send(fr protocol.Frame) bool {
	f.got = append(f.got, fr)
	return true
}

func newTestMatch(max int) *Match {
	return NewMatch("t1", Config{TickRate: 30, MaxPlayers: max}, nil, nil, nil)
}

func TestAddPlayerLimits(t *testing.T) {
	m := newTestMatch(2)
	for _, id := range []string{"a", "b"} {
		if err := m.AddPlayer(id, &fakeSub{id: id}); err != nil {
			t.Fatalf("add %s: %v", id, err)
		}
	}
	if err := m.AddPlayer("c", &fakeSub{id: "c"}); err != ErrMatchFull {
		t.Fatalf("third player: err = %v, want ErrMatchFull", err)
	}
	if err := m.AddPlayer("a", &fakeSub{id: "a"}); err != ErrMatchFull {
		t.Fatalf("rejoin when full: err = %v", err)
	}
}

func TestRemoveLastPlayerEndsMatch(t *testing.T) {
	m := newTestMatch(4)
	if err := m.AddPlayer("solo", &fakeSub{id: "solo"}); err != nil {
		t.Fatal(err)
	}
	if !m.RemovePlayer("solo") {
		t.Fatal("RemovePlayer returned false")
	}
	if snap := m.Snapshot(); snap.Phase != PhaseEnded || snap.Reason != "abandoned" {
		t.Fatalf("phase = %v reason = %q", snap.Phase, snap.Reason)
	}
}

func TestAdvanceAppliesInputs(t *testing.T) {
	m := newTestMatch(4)
	if err := m.AddPlayer("p", &fakeSub{id: "p"}); err != nil {
		t.Fatal(err)
	}
	before := m.Snapshot().Players[0].Pos
	m.SubmitInput("p", protocol.Input{Seq: 1, DX: 1})
	if !m.advance(1.0 / 30) {
		t.Fatal("advance reported ended match")
	}
	after := m.Snapshot().Players[0].Pos
	if after.X <= before.X {
		t.Fatalf("player did not move: %v -> %v", before, after)
	}
}
