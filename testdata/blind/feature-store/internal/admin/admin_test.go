package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/featurestore/internal/cache"
)

func newTestAdmin() *Admin {
	return New(Deps{Store: cache.New(4, time.Minute, nil)})
}

func TestGetFeature(t *testing.T) {
	a := newTestAdmin()
	a.d.Store.Put("user/1/age", []byte("31"), 1)
	srv := httptest.NewServer(a.Routes())
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/v1/features/user/1/age")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %s", resp.Status)
	}
	var body struct {
		Key   string `json:"key"`
		Value []byte `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Key != "user/1/age" || string(body.Value) != "31" {
		t.Fatalf("body = %+v", body)
	}
}

func TestEvictMissingKey(t *testing.T) {
	a := newTestAdmin()
	rec := httptest.NewRecorder()
	a.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/v1/features/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestRecovererReturns500(t *testing.T) {
	h := Recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "internal error") {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestCompactRejectsBadKeep(t *testing.T) {
	a := New(Deps{Compact: func(int) (int, error) { return 0, nil }})
	rec := httptest.NewRecorder()
	a.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/compact?keep=zero", nil))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status = %d", rec.Code)
	}
}
