package session

import (
	"io"
	"log"
	"net"
	"testing"

	"example.com/gamesrv/internal/protocol"
)

func newPipeSession(t *testing.T, id string) (*Session, net.Conn) {
	t.Helper()
	server, client := net.Pipe()
	t.Cleanup(func() {
		server.Close()
		client.Close()
	})
	return New(id, server, nil, log.New(io.Discard, "", 0)), client
}

func TestHubRejectsDuplicates(t *testing.T) {
	h := NewHub()
	a, _ := newPipeSession(t, "alice")
	a2, _ := newPipeSession(t, "alice")
	if err := h.Add(a); err != nil {
		t.Fatal(err)
	}
	if err := h.Add(a2); err != ErrDuplicate {
		t.Fatalf("err = %v, want ErrDuplicate", err)
	}
	h.Remove(a2) // not the registered one: no-op
	if h.Count() != 1 {
		t.Fatalf("count = %d, want 1", h.Count())
	}
}

func TestSendNeverBlocks(t *testing.T) {
	s, _ := newPipeSession(t, "slow")
	accepted := 0
	for i := 0; i < cap(s.out)+10; i++ {
		if s.Send(protocol.Frame{Type: protocol.TypeState}) {
			accepted++
		}
	}
	if accepted != cap(s.out) {
		t.Fatalf("accepted %d, want %d", accepted, cap(s.out))
	}
	s.Close()
	if s.Send(protocol.Frame{Type: protocol.TypeState}) {
		t.Fatal("send after close succeeded")
	}
}
