package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fah14/internal/relay"
	"example.com/fah14/internal/store"
	"example.com/fah14/internal/testutil"
)

// postEvent posts body to the relay's hook endpoint for topic. It must be
// called from the test goroutine.
func postEvent(t *testing.T, srv *httptest.Server, topic, id, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/hooks/"+topic, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Event-Id", id)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// get issues a GET for path against srv with the server's own client.
func get(srv *httptest.Server, path string) (*http.Response, error) {
	return srv.Client().Get(srv.URL + path)
}

func TestHealthz(t *testing.T) {
	srv := httptest.NewServer(relay.New(store.New()).Handler())
	defer srv.Close()
	resp, err := get(srv, "/healthz")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz = %d %q", resp.StatusCode, body)
	}
}

func TestStatsEndpoint(t *testing.T) {
	srv := httptest.NewServer(relay.New(store.New()).Handler())
	defer srv.Close()
	resp, err := get(srv, "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got["inflight"] != float64(0) {
		t.Errorf("inflight = %v", got["inflight"])
	}
}

func TestIngestForwardsToSubscriber(t *testing.T) {
	st := store.New()
	r := relay.New(st, relay.WithSubscribers(relay.Subscriber{Name: "up", URL: upstream.URL, Topics: []string{"push"}}))
	srv := testutil.NewServer(t, r.Handler())

	resp := postEvent(t, srv, "push", "ev-fwd", `{"ref":"main"}`)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if !st.Has("ev-fwd") {
		t.Error("event not stored")
	}
	body, ok := receivedBody("ev-fwd")
	if !ok {
		t.Fatal("upstream did not receive the event")
	}
	var ev store.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	if string(ev.Payload) != `{"ref":"main"}` {
		t.Errorf("forwarded payload = %s", ev.Payload)
	}
}

func TestIngestValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     string
		topic  string
		status int
	}{
		{"missing id", "", "push", http.StatusBadRequest},
		{"no subscribers", "ev-1", "push", http.StatusNoContent},
		{"other topic", "ev-2", "tag", http.StatusNoContent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.NewServer(t, relay.New(store.New()).Handler())
			resp := postEvent(t, srv, tc.topic, tc.id, "{}")
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}

func TestReplayNotFound(t *testing.T) {
	t.Parallel()
	srv := testutil.NewServer(t, relay.New(store.New()).Handler())
	resp, err := srv.Client().Post(srv.URL+"/events/nope/replay", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status = %d", resp.StatusCode)
	}
}

func TestBroadcastCountsFailures(t *testing.T) {
	defer testutil.CatchPanic(t)
	var hits atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		http.Error(w, "nope", http.StatusServiceUnavailable)
	}))
	defer flaky.Close()
	r := relay.New(store.New(), relay.WithSubscribers(
		relay.Subscriber{Name: "flaky", URL: flaky.URL},
		relay.Subscriber{Name: "up", URL: upstream.URL},
	))
	err := r.Broadcast(context.Background(), store.Event{ID: "ev-bc", Topic: "push"})
	if err == nil || !strings.Contains(err.Error(), "status 503") {
		t.Fatalf("Broadcast error = %v", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("flaky subscriber hit %d times", n)
	}
}

func TestFirstAck(t *testing.T) {
	t.Parallel()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer slow.Close()
	r := relay.New(store.New(), relay.WithSubscribers(
		relay.Subscriber{Name: "slow", URL: slow.URL},
		relay.Subscriber{Name: "up", URL: upstream.URL},
	))
	name, err := r.FirstAck(context.Background(), store.Event{ID: "ev-first", Topic: "push"})
	if err != nil {
		t.Fatal(err)
	}
	if name != "up" {
		t.Errorf("first ack from %q, want up", name)
	}
}

// gateVerifier blocks until release is closed or the context ends.
type gateVerifier struct {
	release chan struct{}
	calls   atomic.Int32
}

func (g *gateVerifier) Verify(ctx context.Context, body []byte) error {
	g.calls.Add(1)
	select {
	case <-g.release:
		if strings.Contains(string(body), "forged") {
			return errors.New("signature mismatch")
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestVerifyAll(t *testing.T) {
	t.Parallel()
	gate := &gateVerifier{release: make(chan struct{})}
	close(gate.release)
	r := relay.New(store.New(), relay.WithVerifier(gate, time.Second))
	tests := []struct {
		name    string
		bodies  []string
		wantErr string
	}{
		{"all good", []string{"a", "b"}, ""},
		{"one forged", []string{"a", "forged", "c"}, "payload 1: signature mismatch"},
		{"empty", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bodies := make([][]byte, len(tc.bodies))
			for i, b := range tc.bodies {
				bodies[i] = []byte(b)
			}
			err := r.VerifyAll(context.Background(), bodies)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr) {
				t.Errorf("VerifyAll = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestVerifyEndpointTimeout(t *testing.T) {
	t.Parallel()
	gate := &gateVerifier{release: make(chan struct{})}
	t.Cleanup(func() { close(gate.release) })
	srv := testutil.NewServer(t, relay.New(store.New(), relay.WithVerifier(gate, 20*time.Millisecond)).Handler())
	resp, err := srv.Client().Post(srv.URL+"/verify", "text/plain", strings.NewReader("payload"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("status = %d, want 504", resp.StatusCode)
	}
}

// fetchResult carries the outcome of an asynchronous GET.
type fetchResult struct {
	resp *http.Response
	err  error
}

// fetchWithin GETs url, failing the test if no response arrives within d.
func fetchWithin(t *testing.T, client *http.Client, url string, d time.Duration) *http.Response {
	t.Helper()
	ch := make(chan fetchResult)
	go func() { // HAZ goroutine-blocked-send
		resp, err := client.Get(url)
		ch <- fetchResult{resp, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		t.Cleanup(func() { r.resp.Body.Close() })
		return r.resp
	case <-time.After(d):
		t.Fatalf("GET %s: no response within %s", url, d)
		return nil
	}
}

// fetchBounded GETs url with a client-side timeout; there is no goroutine
// to leak.
func fetchBounded(t *testing.T, client *http.Client, url string, d time.Duration) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestHealthzFast(t *testing.T) {
	t.Parallel()
	srv := testutil.NewServer(t, relay.New(store.New()).Handler())
	if resp := fetchWithin(t, srv.Client(), srv.URL+"/healthz", time.Second); resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d", resp.StatusCode)
	}
	if resp := fetchBounded(t, srv.Client(), srv.URL+"/stats", time.Second); resp.StatusCode != http.StatusOK {
		t.Errorf("stats status = %d", resp.StatusCode)
	}
}

func TestReplayAudited(t *testing.T) {
	closeAudit := func() {}
	defer closeAudit() // HAZ defer-eager-evaluation
	audits := make(chan string, 1)
	audit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		select {
		case audits <- string(body):
		default:
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	closeAudit = audit.Close

	st := store.New()
	if err := st.Put(store.Event{ID: "ev-audit", Topic: "push"}); err != nil {
		t.Fatal(err)
	}
	r := relay.New(st, relay.WithAuditURL(audit.URL),
		relay.WithSubscribers(relay.Subscriber{Name: "up", URL: upstream.URL}))
	srv := testutil.NewServer(t, r.Handler())
	resp, err := srv.Client().Post(srv.URL+"/events/ev-audit/replay", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := testutil.Recv(t, audits, time.Second); !strings.Contains(got, `"action":"replay"`) {
		t.Errorf("audit record = %s", got)
	}
}

func TestParallelBroadcasts(t *testing.T) {
	defer testutil.CatchPanic(t)
	r := relay.New(store.New(), relay.WithSubscribers(relay.Subscriber{Name: "up", URL: upstream.URL}))
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := range 4 {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			ev := store.Event{ID: "ev-par-" + string(rune('a'+i)), Topic: "push"}
			if err := r.Broadcast(context.Background(), ev); err != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Errorf("%d broadcasts failed", n)
	}
}

func TestBroadcastAllNoFailures(t *testing.T) {
	t.Parallel()
	r := relay.New(store.New(), relay.WithSubscribers(relay.Subscriber{Name: "up", URL: upstream.URL}))
	evs := []store.Event{{ID: "ev-all-1", Topic: "push"}, {ID: "ev-all-2", Topic: "tag"}}
	if n := r.BroadcastAll(context.Background(), evs); n != 0 {
		t.Errorf("BroadcastAll reported %d failures", n)
	}
}

func TestAuditAsyncDropsWhenFull(t *testing.T) {
	t.Parallel()
	r := relay.New(store.New())
	if r.AuditAsync("replay", "x") {
		t.Error("AuditAsync queued without an audit queue")
	}
}
