package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestReporterLoopUntil(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
	}))
	defer srv.Close()

	c := NewCounters[string]()
	c.Add("x", 1)
	r := &reporter{url: srv.URL, client: srv.Client(), timeout: time.Second, source: c, tick: time.NewTicker(5 * time.Millisecond)}
	defer r.tick.Stop()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.loopUntil(stop)
	}()
	time.Sleep(30 * time.Millisecond)
	close(stop)
	<-done
	if hits.Load() == 0 || r.failures.Load() != 0 {
		t.Fatalf("hits=%d failures=%d", hits.Load(), r.failures.Load())
	}
}

func TestDumpKnownFileSink(t *testing.T) {
	var sb strings.Builder
	if err := DumpKnown(&sb, "file", Snapshot[string]{"b": 2, "a": 1}); err != nil {
		t.Fatal(err)
	}
	if sb.String() != "a 1\nb 2\n" {
		t.Fatalf("got %q", sb.String())
	}
}

func TestPhaseSpans(t *testing.T) {
	rec := NewMemRecorder()
	tr := NewTracer(rec)
	step := tr.Phase("load")
	func() {
		defer step("parse")()
	}()
	if rec.Count("load/parse") != 1 {
		t.Fatal("span not recorded")
	}
}

func TestGaugeTrack(t *testing.T) {
	var g Gauge
	func() {
		defer g.Track()()
		if g.Value() != 1 {
			t.Fatalf("in flight = %d", g.Value())
		}
	}()
	if g.Value() != 0 {
		t.Fatalf("after = %d", g.Value())
	}
}
