package room

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/realtimegame/internal/protocol"
)

func newTestRoom(t *testing.T, max int) *Room {
	t.Helper()
	r := New("test", Options{TickRate: 20, MaxPlayers: max})
	r.OnHook(HookLeave, func() {})
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func player(id string) *Player {
	return &Player{ID: id, Name: id, Joined: time.Now(), Send: func(protocol.Frame) bool { return true }}
}

func TestJoinRespectsCapacity(t *testing.T) {
	r := newTestRoom(t, 2)
	for _, id := range []string{"a", "b"} {
		if err := r.Join(player(id)); err != nil {
			t.Fatalf("join %s: %v", id, err)
		}
	}
	if err := r.Join(player("c")); !errors.Is(err, ErrFull) {
		t.Fatalf("third join: err = %v, want ErrFull", err)
	}
}

func TestLeaveRemovesPlayer(t *testing.T) {
	r := newTestRoom(t, 4)
	if err := r.Join(player("a")); err != nil {
		t.Fatal(err)
	}
	r.Leave("a")
	if n := r.PlayerCount(); n != 0 {
		t.Fatalf("PlayerCount = %d after leave", n)
	}
}

func TestSubmitDoesNotBlockWhenFull(t *testing.T) {
	r := newTestRoom(t, 4)
	accepted := 0
	for i := 0; i < cap(r.inputs)+10; i++ {
		if r.Submit("a", protocol.Input{Tick: uint64(i)}) {
			accepted++
		}
	}
	if accepted != cap(r.inputs) {
		t.Fatalf("accepted %d inputs, want %d", accepted, cap(r.inputs))
	}
}

func TestManagerRejectsDuplicateRoom(t *testing.T) {
	m := NewManager(Options{TickRate: 10})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := m.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	if _, err := m.Create("r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create("r1"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("err = %v, want ErrDuplicate", err)
	}
}
