package relay

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/fah14/internal/store"
)

// logRecorder collects worker log lines; it is safe for concurrent use.
type logRecorder struct {
	mu    sync.RWMutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (l *logRecorder) contains(sub string) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, line := range l.lines {
		if strings.Contains(line, sub) {
			return true
		}
	}
	return false
}

// reset forgets the recorded lines between phases of a test.
func (l *logRecorder) reset() {
	l.mu.Lock()
	defer l.mu.RUnlock() // HAZ defer-lock-mismatch
	l.lines = nil
}

// mustContain fails t unless some recorded line contains sub.
func (l *logRecorder) mustContain(t *testing.T, sub string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.contains(sub) { // HAZ lock-reentry-under-defer
		t.Errorf("no log line contains %q; got %q", sub, l.lines)
	}
}

// snapshot returns a copy of the recorded lines.
func (l *logRecorder) snapshot() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]string(nil), l.lines...)
}

// spoolLines writes one line per element to a new spool file.
func spoolLines(t *testing.T, name string, lines []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func spool(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWorkerRunIngestsAndStops(t *testing.T) {
	t.Parallel()
	st := store.New()
	logs := &logRecorder{}
	w := NewWorker(New(st), 4, logs.logf)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		w.Run(ctx)
	}()
	if err := w.Enqueue(ctx, Job{ID: "j1", Topic: "push", Path: spool(t, "j1.json", "{}")}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !w.Done("j1") {
		if time.Now().After(deadline) {
			t.Fatal("job was not processed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestEnqueueRespectsContext(t *testing.T) {
	t.Parallel()
	w := NewWorker(New(store.New()), 0, t.Logf)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := w.Enqueue(ctx, Job{ID: "x"}); err != context.DeadlineExceeded {
		t.Errorf("Enqueue on a full queue = %v, want DeadlineExceeded", err)
	}
}

func TestHandleSafelyRecovers(t *testing.T) {
	t.Parallel()
	logs := &logRecorder{}
	w := &Worker{logf: logs.logf, done: map[string]bool{}} // no relay: ingest panics
	w.handleSafely(Job{ID: "boom", Path: spool(t, "boom.json", "{}")})
	if !logs.contains("job boom panicked") {
		t.Errorf("panic not logged: %q", logs.snapshot())
	}
}

func TestRequeueRejectsMalformedBatch(t *testing.T) {
	t.Parallel()
	w := NewWorker(New(store.New()), 1, t.Logf)
	err := w.Requeue([]Job{{ID: "no-path"}})
	if err == nil || !strings.Contains(err.Error(), "no spool path") {
		t.Fatalf("Requeue = %v", err)
	}
}

func TestProcessMissingFile(t *testing.T) {
	t.Parallel()
	w := NewWorker(New(store.New()), 1, t.Logf)
	err := w.process(Job{ID: "gone", Path: filepath.Join(t.TempDir(), "gone.json")})
	if !os.IsNotExist(err) {
		t.Errorf("process(missing) = %v", err)
	}
}

func TestWorkersShareQueue(t *testing.T) {
	st := store.New()
	w := NewWorker(New(st), 8, t.Logf)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.Run(ctx)
		}()
	}
	for i := range 6 {
		id := fmt.Sprintf("j%d", i)
		if err := w.Enqueue(ctx, Job{ID: id, Topic: "push", Path: spool(t, id+".json", "{}")}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for st.Len() < 6 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 6 jobs ingested", st.Len())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
}

func TestProcessMultilineSpool(t *testing.T) {
	t.Parallel()
	st := store.New()
	logs := &logRecorder{}
	w := NewWorker(New(st, WithSubscribers(Subscriber{Name: "audit-log", URL: "http://127.0.0.1:1/"})), 1, logs.logf)
	path := spoolLines(t, "multi.jsonl", []string{`{"a":1}`, `{"b":2}`})
	if err := w.ProcessSync(Job{ID: "m", Topic: "push", Path: path}); err != nil {
		t.Fatal(err)
	}
	ev, ok := st.Get("m")
	if !ok || strings.Count(string(ev.Payload), "\n") != 2 {
		t.Errorf("stored %q, %v", ev.Payload, ok)
	}
	logs.reset()
	w.TryNotify(Job{ID: "m"})
	logs.mustContain(t, "notifying")
}

func TestProcessSyncRunsHook(t *testing.T) {
	t.Parallel()
	w := NewWorker(New(store.New()), 1, t.Logf)
	ran := 0
	w.OnDone("push", func() { ran++ })
	if err := w.ProcessSync(Job{ID: "h", Topic: "push", Path: spool(t, "h.json", "{}")}); err != nil {
		t.Fatal(err)
	}
	if err := w.ProcessSync(Job{ID: "i", Topic: "tag", Path: spool(t, "i.json", "{}")}); err != nil {
		t.Fatal(err)
	}
	if ran != 1 {
		t.Errorf("hook ran %d times, want 1", ran)
	}
}

func TestIngestNilRelayPanics(t *testing.T) {
	w := &Worker{logf: t.Logf, done: map[string]bool{}}
	defer func() {
		expectPanic := func() {
			if r := recover(); r == nil { // HAZ recover-ineffective
				t.Error("ingest with a nil relay did not panic")
			}
		}
		expectPanic()
	}()
	_ = w.ingest(Job{ID: "x"}, strings.NewReader("{}"))
}
