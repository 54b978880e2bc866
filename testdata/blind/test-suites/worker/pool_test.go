package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"example.com/testsuites/clock"
	"example.com/testsuites/internal/testutil"
)

var errBoom = errors.New("boom")

func okHandler(context.Context, Job) error { return nil }

func failOn(kinds ...string) Handler {
	return func(_ context.Context, j Job) error {
		for _, k := range kinds {
			if j.Kind == k {
				return fmt.Errorf("%s: %w", j.ID, errBoom)
			}
		}
		return nil
	}
}

func newTestPool(t *testing.T, h Handler, workers int, opts ...Option) *Pool {
	t.Helper()
	p := New(h, 16, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	p.Start(ctx, workers)
	t.Cleanup(func() {
		cancel()
		p.Stop()
	})
	return p
}

func collect(t *testing.T, p *Pool, n int) []Result {
	t.Helper()
	out := make([]Result, 0, n)
	timeout := time.After(5 * time.Second)
	for len(out) < n {
		select {
		case r := <-p.Results():
			out = append(out, r)
		case <-timeout:
			t.Fatalf("got %d of %d results before the timeout", len(out), n)
		}
	}
	return out
}

func jobs(n int, kind string) []Job {
	out := make([]Job, n)
	for i := range out {
		out[i] = Job{ID: fmt.Sprintf("job-%d", i), OrderID: fmt.Sprintf("ord-%d", i), Kind: kind}
	}
	return out
}

// quietly runs f and ignores panics: some handlers below panic by design.
func quietly(f func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// expected for the panicking handlers
		}
	}()
	f()
}

func TestPoolProcessesJobs(t *testing.T) {
	p := newTestPool(t, failOn("refund"), 3)
	for _, j := range append(jobs(4, "capture"), jobs(2, "refund")...) {
		if !p.TrySubmit(j) {
			t.Fatalf("queue full at %s", j.ID)
		}
	}
	failed := 0
	for _, r := range collect(t, p, 6) {
		if r.Err != nil {
			failed++
		}
	}
	if failed != 2 {
		t.Fatalf("%d failures, want 2", failed)
	}
	if s := p.Stats(); s.Done != 6 || s.Failed != 2 || s.Workers != 3 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestTrySubmitAfterClose(t *testing.T) {
	p := New(okHandler, 1)
	p.Close()
	p.Close() // idempotent
	if p.TrySubmit(Job{ID: "late"}) {
		t.Fatal("TrySubmit accepted a job after Close")
	}
}

func TestTrySubmitQueueFull(t *testing.T) {
	p := New(okHandler, 1)
	if !p.TrySubmit(Job{ID: "a"}) {
		t.Fatal("first TrySubmit failed")
	}
	if p.TrySubmit(Job{ID: "b"}) {
		t.Fatal("TrySubmit succeeded on a full queue")
	}
}

func TestRunRecoversHandlerPanic(t *testing.T) {
	clk := clock.NewFake(testutil.Epoch)
	p := New(func(context.Context, Job) error { panic("nil map") }, 1, WithClock(clk))
	res := p.run(context.Background(), Job{ID: "j1"})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "panicked: nil map") {
		t.Fatalf("res.Err = %v", res.Err)
	}
}

func TestRunBatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		jobs    []Job
		wantErr bool
		done    int64
	}{
		{"all ok", jobs(3, "capture"), false, 3},
		{"stops at failure", append(jobs(1, "capture"), append(jobs(1, "refund"), jobs(2, "capture")...)...), true, 2},
		{"empty", nil, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			p := New(failOn("refund"), 1, WithLogger(log.New(&buf, "", 0)))
			err := p.RunBatch(context.Background(), tc.jobs)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if got := p.Stats().Done; got != tc.done {
				t.Fatalf("done = %d, want %d", got, tc.done)
			}
		})
	}
}

func TestRunHookedRunsHook(t *testing.T) {
	var calls atomic.Int32
	p := New(okHandler, 1, WithHook("ship", func() { calls.Add(1) }))
	p.RunHooked(context.Background(), Job{ID: "a", Kind: "ship"})
	p.RunHooked(context.Background(), Job{ID: "b", Kind: "capture"})
	if calls.Load() != 1 {
		t.Fatalf("hook ran %d times, want 1", calls.Load())
	}
}

func TestRunOneTracksInFlight(t *testing.T) {
	var p *Pool
	var during int64
	p = New(func(context.Context, Job) error {
		during = p.InFlight()
		return nil
	}, 1)
	p.RunOne(context.Background(), Job{ID: "a"})
	if during != 1 || p.InFlight() != 0 {
		t.Fatalf("in flight during = %d, after = %d", during, p.InFlight())
	}
}

func TestProcessObservedCountsErrors(t *testing.T) {
	p := New(failOn("refund"), 1)
	for _, j := range append(jobs(2, "refund"), jobs(3, "capture")...) {
		p.ProcessObserved(context.Background(), j)
	}
	if got := p.Errored(); got != 2 {
		t.Fatalf("Errored() = %d, want 2", got)
	}
}

func TestFanAllCollectsEveryResult(t *testing.T) {
	p := New(failOn("refund"), 1)
	results := p.FanAll(context.Background(), append(jobs(5, "capture"), jobs(3, "refund")...))
	if len(results) != 8 {
		t.Fatalf("%d results, want 8", len(results))
	}
	failed := 0
	for _, r := range results {
		if errors.Is(r.Err, errBoom) {
			failed++
		}
	}
	if failed != 3 {
		t.Fatalf("%d failures, want 3", failed)
	}
}

func TestReplayAllSucceed(t *testing.T) {
	var seen sync.Map
	p := New(func(_ context.Context, j Job) error {
		seen.Store(j.ID, true)
		return nil
	}, 1)
	if err := p.Replay(context.Background(), jobs(6, "capture")); err != nil {
		t.Fatal(err)
	}
	n := 0
	seen.Range(func(any, any) bool { n++; return true })
	if n != 6 {
		t.Fatalf("replayed %d jobs, want 6", n)
	}
}

func TestRunHooksSurvivesPanic(t *testing.T) {
	var ran atomic.Int32
	p := New(okHandler, 1,
		WithHook("a", func() { ran.Add(1) }),
		WithHook("b", func() { panic("hook b") }),
		WithHook("c", func() { ran.Add(1) }),
	)
	if n := p.RunHooks("a", "b", "c", "missing"); n != 3 {
		t.Fatalf("RunHooks = %d, want 3", n)
	}
	if ran.Load() != 2 {
		t.Fatalf("%d hooks completed, want 2", ran.Load())
	}
}

func TestPanickingHandlersDoNotEscape(t *testing.T) {
	calls := 0
	for _, j := range jobs(3, "capture") {
		quietly(func() {
			calls++
			if j.ID == "job-1" {
				panic("bad job")
			}
		})
	}
	if calls != 3 {
		t.Fatalf("calls = %d", calls)
	}
}

func TestPumpUntilStopsWhenSourceCloses(t *testing.T) {
	p := newTestPool(t, okHandler, 2)
	src := make(chan Job)
	errc := make(chan error, 1)
	go func() { errc <- p.PumpUntil(context.Background(), src) }()
	for _, j := range jobs(3, "capture") {
		src <- j
	}
	close(src)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	collect(t, p, 3)
	if p.InFlight() != 0 {
		t.Fatalf("InFlight() = %d after pumping", p.InFlight())
	}
}

func TestPumpUntilHonoursContext(t *testing.T) {
	p := New(okHandler, 1)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- p.PumpUntil(ctx, make(chan Job)) }()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("PumpUntil ignored cancellation")
	}
}

func TestSuperviseGuardedReturnsOnCancel(t *testing.T) {
	p := New(okHandler, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.SuperviseGuarded(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestSuperviseGuardedConvertsPanic(t *testing.T) {
	p := New(func(context.Context, Job) error { return nil }, 1)
	p.hooks["explode"] = func() { panic("hook exploded") }
	p.TrySubmit(Job{ID: "x", Kind: "explode"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := p.SuperviseGuarded(ctx)
	if err == nil || !strings.Contains(err.Error(), "hook exploded") {
		t.Fatalf("err = %v", err)
	}
}

func TestReportLoopLogs(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	p := New(okHandler, 1, WithLogger(log.New(writerFunc(func(b []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(b)
	}), "", 0)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.reportLoop(ctx, time.Millisecond)
	}()
	testutil.Eventually(t, 5*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(buf.String(), "workers=0")
	})
	cancel()
	<-done
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func BenchmarkPoolThroughput(b *testing.B) {
	p := New(okHandler, 128)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p.Start(ctx, 8)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := p.Submit(ctx, Job{ID: "bench"}); err != nil {
			b.Fatal(err)
		}
		<-p.Results()
	}
}

func BenchmarkFanAll(b *testing.B) {
	p := New(okHandler, 1)
	js := jobs(32, "capture")
	for i := 0; i < b.N; i++ {
		p.FanAll(context.Background(), js)
	}
}
