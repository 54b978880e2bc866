package notify

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"example.com/testsuites/clock"
	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/order"
)

var errInjected = errors.New("injected")

func testEvent() Event {
	return Event{Type: "order.paid", OrderID: "ord-1", Status: order.StatusPaid, At: testutil.Epoch}
}

// recordingHook is a webhook fake that decodes and keeps every event.
type recordingHook struct {
	mu       sync.Mutex
	got      []Event
	failNext bool
}

func (h *recordingHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if h.failNext {
		h.failNext = false
		http.Error(w, "injected failure", http.StatusServiceUnavailable)
		return
	}
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		h.mu.Unlock()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.got = append(h.got, ev)
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *recordingHook) FailNext() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failNext = true
}

func (h *recordingHook) Events() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.got...)
}

func startRecorder(t *testing.T) (*recordingHook, *httptest.Server) {
	t.Helper()
	h := &recordingHook{}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

func statusServer(t *testing.T, code int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSendPostsJSON(t *testing.T) {
	h, srv := startRecorder(t)
	n := New(srv.URL)
	if err := n.Send(context.Background(), testEvent()); err != nil {
		t.Fatal(err)
	}
	got := h.Events()
	if len(got) != 1 || got[0].OrderID != "ord-1" || got[0].Status != order.StatusPaid {
		t.Fatalf("hook received %+v", got)
	}
	if n.Sent() != 1 || n.Failed() != 0 {
		t.Fatalf("sent=%d failed=%d", n.Sent(), n.Failed())
	}
}

func TestSendStatusErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		wantErr   bool
		temporary bool
	}{
		{http.StatusOK, false, false},
		{http.StatusNoContent, false, false},
		{http.StatusBadRequest, true, false},
		{http.StatusTooManyRequests, true, true},
		{http.StatusBadGateway, true, true},
	}
	for _, tc := range tests {
		t.Run(http.StatusText(tc.code), func(t *testing.T) {
			t.Parallel()
			srv := statusServer(t, tc.code)
			err := New(srv.URL, WithClient(srv.Client())).Send(context.Background(), testEvent())
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			var se *StatusError
			if tc.wantErr && (!errors.As(err, &se) || se.Temporary() != tc.temporary) {
				t.Fatalf("err = %#v, temporary want %v", err, tc.temporary)
			}
		})
	}
}

func TestSendFailsOnServerErrors(t *testing.T) {
	for _, code := range []int{500, 502, 503} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(code)
		}))
		defer srv.Close() // HAZ defer-in-loop
		n := New(srv.URL)
		if err := n.Send(context.Background(), testEvent()); err == nil {
			t.Errorf("code %d: Send succeeded", code)
		}
		if n.Failed() != 1 {
			t.Errorf("code %d: Failed() = %d", code, n.Failed())
		}
	}
}

func TestSendFailsOnClientErrors(t *testing.T) {
	for _, code := range []int{400, 404, 410} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(code)
			}))
			defer srv.Close()
			if err := New(srv.URL, WithClient(srv.Client())).Send(context.Background(), testEvent()); err == nil {
				t.Errorf("code %d: Send succeeded", code)
			}
		})
	}
}

func TestSendReportsInjectedFailure(t *testing.T) {
	h, srv := startRecorder(t)
	h.FailNext()
	n := New(srv.URL)
	err := n.Send(context.Background(), testEvent())
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusServiceUnavailable || !se.Temporary() {
		t.Fatalf("Send = %v, want a temporary 503", err)
	}
	if n.Failed() != 1 || n.Sent() != 0 {
		t.Fatalf("sent=%d failed=%d", n.Sent(), n.Failed())
	}
}

func TestPingHealthy(t *testing.T) {
	n := New(sharedHook.URL)
	if err := n.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n.LastRTT() <= 0 {
		t.Fatal("LastRTT not recorded")
	}
}

func TestSharedHookCountsHits(t *testing.T) {
	before := sharedHits.Load()
	n := New(sharedHook.URL)
	for i := 0; i < 3; i++ {
		if err := n.Send(context.Background(), testEvent()); err != nil {
			t.Fatal(err)
		}
	}
	if got := sharedHits.Load() - before; got < 3 {
		t.Fatalf("shared hook saw %d hits, want at least 3", got)
	}
}

func TestSendWithinTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	clk := clock.NewFake(testutil.Epoch)
	n := New(srv.URL, WithClock(clk))
	errc := make(chan error, 1)
	go func() { errc <- n.SendWithin(testEvent(), time.Second) }()
	clk.BlockUntil(1)
	clk.Advance(time.Second)
	if err := <-errc; !errors.Is(err, ErrTimeout) {
		t.Fatalf("SendWithin = %v, want ErrTimeout", err)
	}
}

func TestBroadcastAllJoinsErrors(t *testing.T) {
	ok := statusServer(t, http.StatusNoContent)
	bad := statusServer(t, http.StatusInternalServerError)
	n := New(ok.URL, WithHooks(ok.URL, bad.URL, bad.URL))
	err := n.BroadcastAll(context.Background(), testEvent())
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusInternalServerError {
		t.Fatalf("BroadcastAll = %v", err)
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 2 {
		t.Fatalf("%d joined errors, want 2", n)
	}
}

func TestBroadcastAllNoHooks(t *testing.T) {
	if err := New("http://unused.invalid").BroadcastAll(context.Background(), testEvent()); err != nil {
		t.Fatalf("BroadcastAll without hooks = %v", err)
	}
}

func TestSendBoundedReleasesSlot(t *testing.T) {
	_, srv := startRecorder(t)
	lim := NewLimiter(1)
	n := New(srv.URL, WithLimiter(lim))
	for i := 0; i < 3; i++ {
		if err := n.SendBounded(context.Background(), testEvent()); err != nil {
			t.Fatal(err)
		}
		if lim.InUse() != 0 {
			t.Fatalf("slot still held after send %d", i)
		}
	}
}

func TestLimiterAcquireRelease(t *testing.T) {
	lim := NewLimiter(2)
	r1 := lim.Acquire()
	r2 := lim.Acquire()
	if lim.InUse() != 2 {
		t.Fatalf("InUse() = %d", lim.InUse())
	}
	r1()
	r2()
	r2() // releasing twice must not block
	if lim.InUse() != 0 {
		t.Fatalf("InUse() = %d after release", lim.InUse())
	}
}

func TestSendAgainstFakeHook(t *testing.T) {
	testutil.RunAgainstSafe(t, func(url string) {
		if err := New(url).Send(context.Background(), testEvent()); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	n := New(srv.URL)
	ev := testEvent()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := n.Send(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
	}
}
