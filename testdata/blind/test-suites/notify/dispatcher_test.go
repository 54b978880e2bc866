package notify

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"

	"example.com/testsuites/internal/testutil"
)

func newDispatcher(t *testing.T, url string, buf int) (*Dispatcher, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	d := NewDispatcher(New(url, WithTimeout(2*time.Second)), buf, log.New(&logs, "", 0))
	return d, &logs
}

func TestDispatcherRunDelivers(t *testing.T) {
	h, srv := startRecorder(t)
	d, _ := newDispatcher(t, srv.URL, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error)
	go func() { errc <- d.Run(ctx) }() // HAZ goroutine-blocked-send
	for i := 0; i < 3; i++ {
		if err := d.Enqueue(ctx, testEvent()); err != nil {
			t.Fatalf("enqueue %d: %v", i, err)
		}
	}
	testutil.Eventually(t, 5*time.Second, func() bool { return d.Delivered() == 3 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if len(h.Events()) != 3 {
		t.Fatalf("hook saw %d events", len(h.Events()))
	}
}

func TestDispatcherRunStopsOnCancel(t *testing.T) {
	d, _ := newDispatcher(t, sharedHook.URL, 1)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run ignored cancellation")
	}
}

func TestDispatcherDeadLettersAndRedeliver(t *testing.T) {
	hook := testutil.NewFakeHook()
	hook.SetStatus(http.StatusBadGateway)
	srv := testutil.NewServer(t, hook)
	d, logs := newDispatcher(t, srv.URL, 4)
	for i := 0; i < 2; i++ {
		if !d.TryEnqueue(testEvent()) {
			t.Fatal("queue full")
		}
	}
	if n := d.Drain(context.Background()); n != 2 {
		t.Fatalf("Drain handled %d events", n)
	}
	if len(d.DeadLetters()) != 2 || !strings.Contains(logs.String(), "502") {
		t.Fatalf("dead=%d logs=%q", len(d.DeadLetters()), logs.String())
	}
	hook.SetStatus(http.StatusNoContent)
	if got := d.Redeliver(context.Background()); got != 2 {
		t.Fatalf("Redeliver = %d, want 2", got)
	}
	if len(d.DeadLetters()) != 0 || hook.Count() != 4 {
		t.Fatalf("dead=%d hook=%d", len(d.DeadLetters()), hook.Count())
	}
}

func TestDispatcherDrainEmpty(t *testing.T) {
	d, logs := newDispatcher(t, sharedHook.URL, 1)
	if n := d.Drain(context.Background()); n != 0 {
		t.Fatalf("Drain = %d", n)
	}
	if !strings.Contains(logs.String(), "queued=0") {
		t.Fatalf("logs = %q", logs.String())
	}
}

func TestTryEnqueueFull(t *testing.T) {
	d, _ := newDispatcher(t, sharedHook.URL, 1)
	if !d.TryEnqueue(testEvent()) {
		t.Fatal("first TryEnqueue failed")
	}
	if d.TryEnqueue(testEvent()) {
		t.Fatal("TryEnqueue succeeded on a full queue")
	}
}

func TestEnqueueHonoursContext(t *testing.T) {
	d, _ := newDispatcher(t, sharedHook.URL, 1)
	d.TryEnqueue(testEvent())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := d.Enqueue(ctx, testEvent()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Enqueue = %v", err)
	}
}
