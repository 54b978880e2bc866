package retry

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestDelayGrowsAndCaps(t *testing.T) {
	b := Backoff{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond, Factor: 2}
	want := []time.Duration{10, 20, 40, 50, 50}
	for i, w := range want {
		if got := b.Delay(i + 1); got != w*time.Millisecond {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
}

func TestDoStopsOnPermanent(t *testing.T) {
	calls := 0
	err := Do(context.Background(), Backoff{Base: time.Millisecond}, 5, func(context.Context) error {
		calls++
		return Permanent(errors.New("bad payload"))
	})
	if !IsPermanent(err) || calls != 1 {
		t.Fatalf("Do = %v after %d calls, want a permanent error after 1", err, calls)
	}
}

func TestDoHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Do(ctx, Backoff{Base: time.Hour}, 3, func(context.Context) error { return errors.New("flaky") })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Do = %v, want context.Canceled", err)
	}
}

func TestDeadLetterSegmentsReplay(t *testing.T) {
	dir := t.TempDir()
	w, err := NewDeadLetterWriter(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := w.Write(Record{Topic: "t", Offset: int64(i), Error: "boom"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(paths) != 1 {
		t.Fatalf("segments = %v, %v", paths, err)
	}
	var got []int64
	n, err := ReplaySegments(paths, func(r Record) error { got = append(got, r.Offset); return nil })
	if err != nil || n != 3 || got[2] != 2 {
		t.Fatalf("ReplaySegments = %d, %v (offsets %v)", n, err, got)
	}
}

func TestPlainExportRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	if err := ExportPlain(path, []Record{{Topic: "a"}, {Topic: "b"}}); err != nil {
		t.Fatal(err)
	}
	n, err := ReplaySegments([]string{path}, func(Record) error { return nil })
	if err != nil || n != 2 {
		t.Fatalf("replayed %d, %v; want 2", n, err)
	}
}
