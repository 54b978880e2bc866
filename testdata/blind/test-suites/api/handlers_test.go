package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/order"
)

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.LookupTimeout = 200 * time.Millisecond
	cfg.EventBuffer = 4
	return cfg
}

func newTestServer(t *testing.T, repo Repo) (*Server, *httptest.Server) {
	t.Helper()
	s := NewServer(repo, nil, testConfig(), nil)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

func seededRepo(n int) *fakeRepo {
	return newFakeRepo(testutil.SampleOrders(n)...)
}

// doJSON sends a request and returns the response with its body read.
func doJSON(t *testing.T, method, url string, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// postOrder creates an order through the API and returns it.
func postOrder(t *testing.T, baseURL string, o order.Order) order.Order {
	t.Helper()
	body, _ := json.Marshal(o)
	resp, _ := http.Post(baseURL+"/orders", "application/json", bytes.NewReader(body))
	t.Logf("POST /orders for %s", o.Customer)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /orders: status %d", resp.StatusCode)
	}
	var created order.Order
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil {
		t.Fatal(err)
	}
	return created
}

func TestHealth(t *testing.T) {
	_, ts := newTestServer(t, newFakeRepo())
	resp, body := doJSON(t, http.MethodGet, ts.URL+"/healthz", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"ok"`) {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
}

func TestGetOrder(t *testing.T) {
	t.Parallel()
	repo := seededRepo(3)
	id := repo.List(nil)[0].ID
	s := NewServer(repo, nil, testConfig(), nil)
	tests := []struct {
		name string
		path string
		code int
	}{
		{"found", "/orders/" + id, http.StatusOK},
		{"missing", "/orders/ord-404", http.StatusNotFound},
		{"total", "/orders/" + id + "/total", http.StatusOK},
		{"missing total", "/orders/ord-404/total", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.code {
				t.Fatalf("GET %s = %d, want %d: %s", tc.path, rec.Code, tc.code, rec.Body)
			}
		})
	}
}

func TestGetOrderTimesOut(t *testing.T) {
	repo := seededRepo(1)
	repo.stall = make(chan struct{})
	defer close(repo.stall)
	s := NewServer(repo, nil, testConfig(), nil)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/"+testutil.SampleOrders(1)[0].ID+"/total", nil))
	if rec.Code != http.StatusGatewayTimeout {
		t.Fatalf("status = %d, want 504", rec.Code)
	}
}

func TestCreateOrderValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		ct   string
		code int
	}{
		{"valid", `{"customer":"ada","items":[{"sku":"a","qty":1,"price_cents":5}]}`, "application/json", http.StatusCreated},
		{"no items", `{"customer":"ada"}`, "application/json", http.StatusBadRequest},
		{"unknown field", `{"customer":"ada","color":"red"}`, "application/json", http.StatusBadRequest},
		{"not json", `customer=ada`, "application/json", http.StatusBadRequest},
		{"wrong content type", `{}`, "text/plain", http.StatusUnsupportedMediaType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewServer(newFakeRepo(), nil, testConfig(), nil)
			req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ct)
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.code {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.code, rec.Body)
			}
		})
	}
}

func TestCreateOrderThroughServer(t *testing.T) {
	s, ts := newTestServer(t, newFakeRepo())
	created := postOrder(t, ts.URL, testutil.SampleOrder("ada", 2))
	if created.ID == "" || created.Status != order.StatusNew {
		t.Fatalf("created = %+v", created)
	}
	select {
	case ev := <-s.Events():
		if ev.OrderID != created.ID || ev.Type != "order.created" {
			t.Fatalf("event = %+v", ev)
		}
	default:
		t.Fatal("no event queued")
	}
}

func TestListOrdersJSON(t *testing.T) {
	_, ts := newTestServer(t, seededRepo(6))
	resp, err := http.Get(ts.URL + "/orders?customer=ada")
	t.Log("GET /orders?customer=ada")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	var got []order.Order
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d orders for ada, want 2", len(got))
	}
}

func TestListOrdersFilters(t *testing.T) {
	repo := seededRepo(6)
	ids := repo.List(nil)
	if _, err := repo.Transition(ids[0].ID, order.StatusPaid); err != nil {
		t.Fatal(err)
	}
	_, ts := newTestServer(t, repo)
	tests := []struct {
		query string
		code  int
		n     int
	}{
		{"", http.StatusOK, 6},
		{"?status=paid", http.StatusOK, 1},
		{"?status=new&customer=grace", http.StatusOK, 2},
		{"?status=bogus", http.StatusBadRequest, -1},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := doJSON(t, http.MethodGet, ts.URL+"/orders"+tc.query, nil)
			if resp.StatusCode != tc.code {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if tc.n < 0 {
				return
			}
			var got []order.Order
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Fatalf("%d orders, want %d", len(got), tc.n)
			}
		})
	}
}

func TestTransitionPublishesEvent(t *testing.T) {
	repo := seededRepo(1)
	id := repo.List(nil)[0].ID
	s, ts := newTestServer(t, repo)
	resp, body := doJSON(t, http.MethodPost, ts.URL+"/orders/"+id+"/status", map[string]string{"status": "paid"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	select {
	case ev := <-s.Events():
		if ev.Type != "order.paid" || ev.OrderID != id {
			t.Fatalf("event = %+v", ev)
		}
	case <-time.After(time.Second):
		t.Fatal("no event")
	}
}

func TestTransitionConflictAndDrops(t *testing.T) {
	repo := seededRepo(8)
	s, ts := newTestServer(t, repo)
	for _, o := range repo.List(nil) {
		resp, _ := doJSON(t, http.MethodPost, ts.URL+"/orders/"+o.ID+"/cancel", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("cancel %s: %d", o.ID, resp.StatusCode)
		}
	}
	if got := s.Dropped(); got != 4 {
		t.Fatalf("Dropped() = %d, want 4 (buffer of 4, 8 events)", got)
	}
	o := repo.List(nil)[0]
	resp, _ := doJSON(t, http.MethodPost, ts.URL+"/orders/"+o.ID+"/status", map[string]string{"status": "paid"})
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("paying a cancelled order: %d", resp.StatusCode)
	}
}

func TestBulkImport(t *testing.T) {
	s, ts := newTestServer(t, newFakeRepo())
	orders := []order.Order{testutil.SampleOrder("ada", 1), testutil.SampleOrder("grace", 2)}
	resp, body := doJSON(t, http.MethodPost, ts.URL+"/orders/bulk", orders)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	testutil.Eventually(t, 2*time.Second, func() bool { return len(s.events) == 2 })
}

func TestBulkImportRejectsInvalid(t *testing.T) {
	_, ts := newTestServer(t, newFakeRepo())
	orders := []order.Order{testutil.SampleOrder("ada", 1), {Customer: "broken"}}
	resp, body := doJSON(t, http.MethodPost, ts.URL+"/orders/bulk", orders)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "order 1") {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

func TestReportAggregatesByCustomer(t *testing.T) {
	repo := seededRepo(6)
	_, ts := newTestServer(t, repo)
	resp, body := doJSON(t, http.MethodGet, ts.URL+"/reports/customers", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var totals map[string]int64
	if err := json.Unmarshal(body, &totals); err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, o := range repo.List(func(o order.Order) bool { return o.Customer == "ada" }) {
		want += o.Total()
	}
	if totals["ada"] != want {
		t.Fatalf("ada total = %d, want %d", totals["ada"], want)
	}
}

func TestExportCSV(t *testing.T) {
	_, ts := newTestServer(t, seededRepo(3))
	resp, body := doJSON(t, http.MethodGet, ts.URL+"/export.csv", nil)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv" {
		t.Fatalf("content type %q", ct)
	}
	if lines := strings.Count(string(body), "\n"); lines != 4 {
		t.Fatalf("%d lines:\n%s", lines, body)
	}
}

func TestHandlerSwap(t *testing.T) {
	a := seededRepo(1)
	id := a.List(nil)[0].ID
	ts := httptest.NewServer(NewServer(a, nil, testConfig(), nil).Handler())
	defer ts.Close() // HAZ defer-eager-evaluation
	if resp, _ := doJSON(t, http.MethodGet, ts.URL+"/orders/"+id, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("first server: %d", resp.StatusCode)
	}
	ts = httptest.NewServer(NewServer(newFakeRepo(), nil, testConfig(), nil).Handler())
	if resp, _ := doJSON(t, http.MethodGet, ts.URL+"/orders/"+id, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("second server: %d", resp.StatusCode)
	}
}

func TestServersPerRepo(t *testing.T) {
	for _, n := range []int{0, 1, 5} {
		t.Run(fmt.Sprintf("%d orders", n), func(t *testing.T) {
			ts := httptest.NewServer(NewServer(seededRepo(n), nil, testConfig(), nil).Handler())
			defer ts.Close()
			_, body := doJSON(t, http.MethodGet, ts.URL+"/orders", nil)
			var got []order.Order
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d orders, want %d", len(got), n)
			}
		})
	}
}

func TestConcurrentCreates(t *testing.T) {
	repo := newFakeRepo()
	_, ts := newTestServer(t, repo)
	defer time.Sleep(50 * time.Millisecond) // HAZ defer-blocking-call
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := strings.NewReader(`{"customer":"c","items":[{"sku":"a","qty":1,"price_cents":1}]}`)
			resp, err := http.Post(ts.URL+"/orders", "application/json", body)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if n := len(repo.List(nil)); n != 10 {
		t.Fatalf("%d orders created, want 10", n)
	}
}

func TestCreateAuditsAction(t *testing.T) {
	cfg := testConfig()
	cfg.AuditURL = auditSink.URL
	s := NewServer(newFakeRepo(), nil, cfg, nil)
	before := auditHits.Load()
	req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(`{"customer":"ada","items":[{"sku":"a","qty":1,"price_cents":1}]}`))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d", rec.Code)
	}
	if auditHits.Load() != before+1 {
		t.Fatal("create was not audited")
	}
}

func TestRecovererAnswers500(t *testing.T) {
	var logs bytes.Buffer
	s := NewServer(newFakeRepo(), nil, testConfig(), log.New(&logs, "", 0))
	h := s.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler bug")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(logs.String(), "handler bug") {
		t.Fatalf("status %d, logs %q", rec.Code, logs.String())
	}
}

func TestLogRequestsRecordsStatus(t *testing.T) {
	var logs bytes.Buffer
	s := NewServer(newFakeRepo(), nil, testConfig(), log.New(&logs, "", 0))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/missing", nil))
	if !strings.Contains(logs.String(), "GET /orders/missing 404") {
		t.Fatalf("logs = %q", logs.String())
	}
}

func TestConfigFromEnvDefaults(t *testing.T) {
	defer testutil.Setenv(t, "ORDERS_LOOKUP_TIMEOUT", "") // HAZ defer-func-result-not-called
	cfg, err := ConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LookupTimeout != DefaultConfig().LookupTimeout {
		t.Fatalf("LookupTimeout = %v", cfg.LookupTimeout)
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr bool
	}{
		{"addr", map[string]string{"ORDERS_ADDR": ":9000"}, Config{Addr: ":9000", LookupTimeout: 2 * time.Second}, false},
		{"timeout", map[string]string{"ORDERS_LOOKUP_TIMEOUT": "150ms"}, Config{Addr: ":8080", LookupTimeout: 150 * time.Millisecond}, false},
		{"bad timeout", map[string]string{"ORDERS_LOOKUP_TIMEOUT": "soon"}, Config{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cfg, err := ConfigFromEnv()
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tc.wantErr && (cfg.Addr != tc.want.Addr || cfg.LookupTimeout != tc.want.LookupTimeout) {
				t.Fatalf("cfg = %+v", cfg)
			}
		})
	}
}

func TestConfigRestoresEnv(t *testing.T) {
	restore := testutil.Setenv(t, "ORDERS_ADDR", ":7000")
	defer restore()
	cfg, err := ConfigFromEnv()
	if err != nil || cfg.Addr != ":7000" {
		t.Fatalf("cfg = %+v, err = %v", cfg, err)
	}
}

func TestForwardEventsToPublisher(t *testing.T) {
	pub := &fakePublisher{}
	s := NewServer(newFakeRepo(), pub, testConfig(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ForwardEvents(ctx)
	}()
	s.publish(eventFor("order.created", testutil.SampleOrders(1)[0]))
	testutil.Eventually(t, 2*time.Second, func() bool { return len(pub.Sent()) == 1 })
	cancel()
	<-done
}

func TestForwardEventsLogsFailures(t *testing.T) {
	var logs syncBuffer
	pub := &fakePublisher{err: errors.New("hook down")}
	s := NewServer(newFakeRepo(), pub, testConfig(), log.New(&logs, "", 0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.ForwardEvents(ctx)
	s.publish(eventFor("order.created", testutil.SampleOrders(1)[0]))
	testutil.Eventually(t, 2*time.Second, func() bool { return strings.Contains(logs.String(), "hook down") })
}

// syncBuffer is a bytes.Buffer safe for a logger writing from another
// goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func BenchmarkGetOrder(b *testing.B) {
	repo := seededRepo(100)
	id := repo.List(nil)[42].ID
	s := NewServer(repo, nil, testConfig(), nil)
	h := s.Handler()
	req := httptest.NewRequest(http.MethodGet, "/orders/"+id, nil)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkCreateOrderServer(b *testing.B) {
	ts := httptest.NewServer(NewServer(newFakeRepo(), nil, testConfig(), nil).Handler())
	defer ts.Close()
	body := []byte(`{"customer":"bench","items":[{"sku":"a","qty":1,"price_cents":1}]}`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := http.Post(ts.URL+"/orders", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func TestMainFixtureAvailable(t *testing.T) {
	if auditSink == nil {
		t.Skip("TestMain did not run")
	}
	if !strings.HasPrefix(auditSink.URL, "http://") {
		t.Fatalf("audit sink URL %q", auditSink.URL)
	}
}
