package tcpreceiver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

type recordingHost struct {
	mu     sync.Mutex
	events []component.StatusEvent
}

func (h *recordingHost) ReportStatus(_ component.ID, ev component.StatusEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *recordingHost) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}

func startReceiver(t *testing.T, next consumer.Traces, host component.Host) *Receiver {
	t.Helper()
	logger := log.New(io.Discard, "", 0)
	r := New(component.ID{Type: "tcp"}, Config{Endpoint: "127.0.0.1:0"}, next, obsreport.NewRecorder("tcp", logger), logger)
	if err := r.Start(context.Background(), host); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return r
}

func TestForwardsFrames(t *testing.T) {
	got := make(chan pdata.Batch, 2)
	r := startReceiver(t, consumer.TracesFunc(func(_ context.Context, b pdata.Batch) error {
		got <- b
		return nil
	}), &recordingHost{})
	conn, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := 0; i < 2; i++ {
		if _, err := fmt.Fprintf(conn, `{"spans":[{"trace_id":"t%d","span_id":"s","name":"op"}]}`+"\n", i); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2; i++ {
		select {
		case b := <-got:
			if b.Len() != 1 {
				t.Fatalf("frame %d has %d spans", i, b.Len())
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("frame %d not received", i)
		}
	}
}

func TestConsumerPanicIsReported(t *testing.T) {
	host := &recordingHost{}
	r := startReceiver(t, consumer.TracesFunc(func(context.Context, pdata.Batch) error {
		panic(errors.New("consumer bug"))
	}), host)
	conn, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, `{"spans":[]}`+"\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for host.count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("panic was not reported as a status event")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
