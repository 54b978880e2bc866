package jobs

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

func newQueue(t *testing.T) *Queue {
	t.Helper()
	return New(2, slog.New(slog.DiscardHandler))
}

func TestDrainLogged(t *testing.T) {
	q := newQueue(t)
	q.Handle("ok", func(context.Context, *Job) error { return nil }, nil)
	q.Handle("bad", func(context.Context, *Job) error { return errors.New("bad") }, nil)
	q.Push(&Job{ID: "1", Kind: "ok"})
	q.Push(&Job{ID: "2", Kind: "bad"})
	if n := q.DrainLogged(t.Context()); n != 1 {
		t.Fatalf("DrainLogged = %d", n)
	}
}

func TestRunRecoversHandlerPanic(t *testing.T) {
	q := newQueue(t)
	q.Handle("boom", func(context.Context, *Job) error { panic("boom") }, nil)
	if err := q.runOne(t.Context(), &Job{ID: "x", Kind: "boom"}); err == nil {
		t.Fatal("expected panic to become an error")
	}
}

func TestCleanupChecked(t *testing.T) {
	q := newQueue(t)
	ran := false
	q.Handle("c", func(context.Context, *Job) error { return nil }, func() { ran = true })
	q.Handle("n", func(context.Context, *Job) error { return nil }, nil)
	for _, kind := range []string{"c", "n"} {
		if err := q.RunWithCleanupChecked(t.Context(), &Job{ID: kind, Kind: kind}); err != nil {
			t.Fatal(err)
		}
	}
	if !ran {
		t.Fatal("cleanup did not run")
	}
}

func TestSchedulerTick(t *testing.T) {
	q := newQueue(t)
	s := NewScheduler(q)
	now := time.Unix(0, 0)
	s.now = func() time.Time { return now }
	s.Add(&Entry{Name: "e", Every: time.Minute, Make: func(time.Time) *Job { return &Job{ID: "e", Kind: "k"} }})
	now = now.Add(time.Minute)
	if n := s.TickTraced(); n != 1 {
		t.Fatalf("TickTraced = %d", n)
	}
	if got := len(q.pending); got != 1 {
		t.Fatalf("pending = %d", got)
	}
}

func TestAuditUntil(t *testing.T) {
	q := newQueue(t)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	q.Emit(&Job{ID: "a"}, "queued")
	var seen []string
	_ = q.AuditUntil(ctx, func(ev Event) error {
		seen = append(seen, ev.JobID)
		return nil
	})
	if len(seen) != 1 {
		t.Fatalf("seen = %v", seen)
	}
}

func BenchmarkPushPop(b *testing.B) {
	q := New(1, slog.New(slog.DiscardHandler))
	j := &Job{ID: "b", Kind: "k"}
	for b.Loop() {
		q.Push(j)
		q.pop()
	}
}
