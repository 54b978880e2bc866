package watch

import (
	"testing"
	"time"
)

func TestPublishMatchesPrefix(t *testing.T) {
	h := NewHub(4)
	w := h.Watch("locks/")
	other := h.Watch("config/")
	t.Cleanup(func() {
		h.Cancel(other)
		h.Cancel(w)
	})

	if n := h.Publish(Event{Type: Put, Key: "locks/a", Lease: 3}); n != 1 {
		t.Fatalf("delivered to %d watchers, want 1", n)
	}
	select {
	case ev := <-w.C():
		if ev.Key != "locks/a" || ev.Rev == 0 {
			t.Fatalf("unexpected event %+v", ev)
		}
	case <-time.After(time.Second):
		t.Fatal("no event")
	}
}

func TestSlowWatcherDrops(t *testing.T) {
	h := NewHub(1)
	w := h.Watch("")
	t.Cleanup(func() { h.Cancel(w) })
	h.Publish(Event{Type: Put, Key: "a"})
	h.Publish(Event{Type: Put, Key: "b"})
	if got := w.dropped.Load(); got != 1 {
		t.Fatalf("dropped = %d, want 1", got)
	}
}

func TestWatchFuncSurvivesPanickingCallback(t *testing.T) {
	h := NewHub(8)
	seen := make(chan string, 2)
	w := h.WatchFunc("k", func(ev Event) {
		seen <- ev.Key
		if ev.Key == "k1" {
			panic("callback bug")
		}
	})
	t.Cleanup(func() { h.Cancel(w) })
	h.Publish(Event{Type: Put, Key: "k1"})
	h.Publish(Event{Type: Put, Key: "k2"})
	for _, want := range []string{"k1", "k2"} {
		select {
		case got := <-seen:
			if got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
		case <-time.After(time.Second):
			t.Fatalf("callback for %s never ran", want)
		}
	}
}
