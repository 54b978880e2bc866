package backfill

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type memSink struct {
	mu        sync.Mutex
	committed map[string][]Row
}

type memTx struct {
	s       *memSink
	feature string
	rows    []Row
}

func (s *memSink) Begin(feature string) (Tx, error) { return &memTx{s: s, feature: feature}, nil }

func (t *memTx) Put(r Row) error { t.rows = append(t.rows, r); return nil }

func (t *memTx) Commit() error {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if t.s.committed == nil {
		t.s.committed = make(map[string][]Row)
	}
	t.s.committed[t.feature] = append(t.s.committed[t.feature], t.rows...)
	return nil
}

func (t *memTx) Rollback() { t.rows = nil }

func hourly(ctx context.Context, feature string, from, to time.Time) ([]Row, error) {
	var rows []Row
	for ts := from; ts.Before(to); ts = ts.Add(time.Hour) {
		rows = append(rows, Row{EntityID: "u1", Ts: ts, Value: float64(ts.Hour())})
	}
	return rows, ctx.Err()
}

func quietRunner(src Source, sink Sink) *Runner {
	r := NewRunner(src, sink)
	r.Logf = func(string, ...any) {}
	return r
}

func TestRunCommitsEveryWindow(t *testing.T) {
	sink := &memSink{}
	r := quietRunner(hourly, sink)
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	job := Job{ID: "j1", Feature: "clicks", From: from, To: from.Add(24 * time.Hour), Window: 6 * time.Hour}
	if err := r.Run(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.committed["clicks"]); n != 24 {
		t.Fatalf("committed %d rows, want 24", n)
	}
}

func TestRunHonoursWindowTimeout(t *testing.T) {
	slow := func(ctx context.Context, _ string, _, _ time.Time) ([]Row, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	r := quietRunner(slow, &memSink{})
	r.WindowTimeout = 10 * time.Millisecond
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err := r.Run(context.Background(), Job{ID: "j2", Feature: "f", From: from, To: from.Add(time.Hour), Window: time.Hour})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckpointResume(t *testing.T) {
	sink := &memSink{}
	r := quietRunner(hourly, sink)
	r.CheckpointDir = t.TempDir()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	job := Job{ID: "j3", Feature: "f", From: from, To: from.Add(4 * time.Hour), Window: time.Hour}
	if err := r.saveCheckpoint(job, from.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.committed["f"]); n != 1 {
		t.Fatalf("resumed run committed %d rows, want 1", n)
	}
}
