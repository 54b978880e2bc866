package api

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/saas/internal/cache"
	"example.com/saas/internal/fakedb"
	"example.com/saas/internal/jobs"
	"example.com/saas/internal/tenant"
	"example.com/saas/internal/webhook"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	db, err := fakedb.Open(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(); fakedb.Reset(t.Name()) })
	dir := tenant.NewDirectory()
	dir.Add(&tenant.Tenant{ID: "acme", Name: "Acme", APIKeys: []string{"k-acme"}})
	s := New(Config{
		DB: db, Queue: jobs.NewQueue(db), Tenants: dir, Cache: cache.New(time.Minute),
		Hooks:  webhook.New(nil, time.Second, 1, log.New(io.Discard, "", 0)),
		Logger: log.New(io.Discard, "", 0), ExportDir: t.TempDir(),
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, method, url, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer k-acme")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestCreateAndListJobs(t *testing.T) {
	srv := newTestServer(t)
	resp, body := do(t, http.MethodPost, srv.URL+"/v1/jobs", `{"kind":"report"}`)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, http.MethodGet, srv.URL+"/v1/jobs", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"report"`) {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
}

func TestUnauthorized(t *testing.T) {
	srv := newTestServer(t)
	resp, err := http.Get(srv.URL + "/v1/jobs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d", resp.StatusCode)
	}
}

func TestCacheRoundTrip(t *testing.T) {
	srv := newTestServer(t)
	for _, tc := range []struct{ method, body string }{{http.MethodPut, "hello"}, {http.MethodGet, ""}} {
		t.Run(tc.method, func(t *testing.T) {
			resp, body := do(t, tc.method, srv.URL+"/v1/cache/greeting", tc.body)
			if resp.StatusCode >= 300 {
				t.Fatalf("%s: %d %s", tc.method, resp.StatusCode, body)
			}
		})
	}
}
