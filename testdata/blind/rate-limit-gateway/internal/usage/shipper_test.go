package usage

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

type memSink struct {
	mu      sync.Mutex
	batches []Batch
	fail    bool
}

func (m *memSink) Send(_ context.Context, b Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("sink down")
	}
	m.batches = append(m.batches, b)
	return nil
}

func (m *memSink) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, b := range m.batches {
		n += len(b.Events)
	}
	return n
}

func TestShipperFlushesOnClose(t *testing.T) {
	sink := &memSink{}
	s := NewShipper([]Sink{sink}, 100, time.Hour)
	s.Start(context.Background())
	for i := 0; i < 10; i++ {
		s.Publish(Event{Tenant: "acme", Status: 200})
	}
	s.Close()
	if got := sink.count(); got != 10 {
		t.Fatalf("shipped %d events, want 10", got)
	}
}

func TestSendAllReportsPerSink(t *testing.T) {
	ok, bad := &memSink{}, &memSink{fail: true}
	errs := SendAll(context.Background(), []Sink{ok, bad}, Batch{Seq: 1, Events: []Event{{Tenant: "a"}}})
	if errs[0] != nil || errs[1] == nil {
		t.Fatalf("errs = %v", errs)
	}
}

func TestHTTPSinkSend(t *testing.T) {
	var mu sync.Mutex
	got := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got++
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	sink := &HTTPSink{Name: "test", URL: srv.URL, Client: srv.Client()}
	if err := sink.Send(context.Background(), Batch{Seq: 7}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got != 1 {
		t.Fatalf("collector saw %d requests", got)
	}
}

func TestArchiveRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.csv.gz")
	events := []Event{{Tenant: "a", Route: "r", Status: 200, Bytes: 12, At: time.Unix(0, 0)}}
	if err := WriteCSVGz(path, events); err != nil {
		t.Fatal(err)
	}
}

func TestTallyRunUntil(t *testing.T) {
	tl := NewTally(8)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tl.RunUntil(done)
	}()
	tl.Observe(Event{Tenant: "a", Bytes: 5})
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if top := tl.Top(1); len(top) == 1 && top[0].Requests == 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(done)
	<-finished
	if top := tl.Top(1); len(top) != 1 || top[0].Bytes != 5 {
		t.Fatalf("top = %+v", top)
	}
}
