package record

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"example.com/fah25/api"
)

type memorySink struct {
	mu     sync.Mutex
	events []api.Event
}

func (s *memorySink) Write(ev api.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, ev)
	return nil
}

func (s *memorySink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events)
}

type staticSource struct {
	events []api.Event
	err    error
}

func (s staticSource) History(context.Context, string) ([]api.Event, error) {
	return s.events, s.err
}

func TestRecorderDeliversBeforeShutdownReturns(t *testing.T) {
	sink := &memorySink{}
	r := NewRecorder("test", 16, sink)
	obj := &api.Widget{ObjectMeta: api.ObjectMeta{Namespace: "a", Name: "w"}}
	for i := 0; i < 5; i++ {
		r.Eventf(obj, "Normal", "Synced", "round %d", i)
	}
	r.Shutdown()
	if got := sink.count() + int(r.Dropped()); got != 5 {
		t.Fatalf("delivered+dropped = %d, want 5", got)
	}
}

func TestHistoryMergesAnswers(t *testing.T) {
	now := time.Now()
	sources := []HistorySource{
		staticSource{events: []api.Event{{Reason: "old", LastSeen: now.Add(-time.Hour)}}},
		staticSource{events: []api.Event{{Reason: "new", LastSeen: now}}},
		staticSource{err: errors.New("unreachable")},
	}
	got, err := History(context.Background(), sources, "a/w")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Reason != "new" {
		t.Fatalf("History = %+v", got)
	}
}
