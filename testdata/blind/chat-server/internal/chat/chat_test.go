package chat

import (
	"testing"
	"time"

	"example.com/chatserver/internal/proto"
)

func newTestClient(id, nick string, queue int) *Client {
	c := NewClient(id, nil, queue, nil)
	c.Nick = nick
	return c
}

func TestJoinRespectsLimit(t *testing.T) {
	r := newRoom("#small", 1, 10)
	if err := r.Join(newTestClient("1", "a", 4)); err != nil {
		t.Fatal(err)
	}
	if err := r.Join(newTestClient("2", "b", 4)); err != ErrRoomFull {
		t.Fatalf("second join: got %v, want ErrRoomFull", err)
	}
}

func TestBroadcastEvictsSlowClient(t *testing.T) {
	r := newRoom("#go", 0, 10)
	fast := newTestClient("1", "fast", 8)
	slow := newTestClient("2", "slow", 1)
	for _, c := range []*Client{fast, slow} {
		if err := r.Join(c); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		msg := proto.Message{Room: "#go", From: "x", Text: "hi", At: time.Now()}
		r.Evict(r.Broadcast(msg))
	}
	if r.Has(slow) {
		t.Fatal("slow client still a member")
	}
	if !r.Has(fast) {
		t.Fatal("fast client evicted")
	}
	if r.HistoryLen() != 3 {
		t.Fatalf("history = %d, want 3", r.HistoryLen())
	}
}

func TestEnqueueAfterClose(t *testing.T) {
	c := newTestClient("1", "a", 2)
	c.Close()
	c.Close()
	if c.Enqueue("x") {
		t.Fatal("enqueue on closed client succeeded")
	}
}

func TestTypingExpires(t *testing.T) {
	fired := make(chan bool, 1)
	p := NewPresence(10*time.Millisecond, func(room, nick string, on bool) {
		fired <- on
	})
	if !p.Typing("#go", "amy") {
		t.Fatal("first Typing should start a spell")
	}
	if p.Typing("#go", "amy") {
		t.Fatal("second Typing should only extend the spell")
	}
	select {
	case on := <-fired:
		if on {
			t.Fatal("expiry reported typing=true")
		}
	case <-time.After(time.Second):
		t.Fatal("typing indicator never expired")
	}
}

func TestExportHistoryStopsEarly(t *testing.T) {
	h := NewHub(HubConfig{HistorySize: 10})
	msgs := make([]proto.Message, 5)
	for i := range msgs {
		msgs[i] = proto.Message{Room: "#go", From: "x", Text: "m", At: time.Now()}
	}
	h.Restore("#go", msgs)
	seen := 0
	h.ExportHistory("#go", func(proto.Message) bool {
		seen++
		return seen < 2
	})
	if seen != 2 {
		t.Fatalf("seen = %d, want 2", seen)
	}
}
