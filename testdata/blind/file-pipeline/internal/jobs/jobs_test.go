package jobs

import (
	"context"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"
)

func quietRunner(workers int) *Runner {
	return NewRunner(workers, time.Minute, log.New(io.Discard, "", 0))
}

func TestProtect(t *testing.T) {
	err := Protect(func() error { panic("boom") })
	if !errors.Is(err, ErrPanicked) {
		t.Fatalf("err = %v, want ErrPanicked", err)
	}
	if err := Protect(func() error { return nil }); err != nil {
		t.Fatalf("err = %v", err)
	}
}

func TestParseSpecStrict(t *testing.T) {
	tests := []struct {
		line    string
		want    Spec
		wantErr bool
	}{
		{"gzip:/data/a.log", Spec{Kind: "gzip", ID: "/data/a.log"}, false},
		{"prune:/tmp/x:30", Spec{Kind: "prune", ID: "/tmp/x", Timeout: 30 * time.Second}, false},
		{":nokind", Spec{}, true},
		{"gzip:/a:soon", Spec{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := ParseSpecStrict(tt.line)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRunLimited(t *testing.T) {
	r := quietRunner(2)
	var running, peak atomic.Int32
	job := func(ctx context.Context) error {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		return nil
	}
	jobs := make([]Job, 10)
	for i := range jobs {
		jobs[i] = Job{ID: string(rune('a' + i)), Kind: "test", Run: job}
	}
	for _, res := range r.RunLimited(context.Background(), jobs, 3) {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	if peak.Load() > 3 {
		t.Fatalf("peak concurrency %d > 3", peak.Load())
	}
	if got := r.Stats()["test.total"]; got != 10 {
		t.Fatalf("total = %d, want 10", got)
	}
}

func TestSafeRunRecovers(t *testing.T) {
	r := quietRunner(1)
	err := r.safeRun(context.Background(), Job{ID: "p", Run: func(context.Context) error { panic("x") }})
	if !errors.Is(err, ErrPanicked) {
		t.Fatalf("err = %v", err)
	}
}

func TestStreamAllClosesAfterLastResult(t *testing.T) {
	r := quietRunner(1)
	out := make(chan Result)
	jobs := []Job{
		{ID: "1", Run: func(context.Context) error { return nil }},
		{ID: "2", Run: func(context.Context) error { return errors.New("no") }},
	}
	go r.StreamAll(context.Background(), jobs, out)
	n := 0
	for range out {
		n++
	}
	if n != len(jobs) {
		t.Fatalf("got %d results, want %d", n, len(jobs))
	}
}
