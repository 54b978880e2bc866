package server

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/up12/internal/cache"
	"example.com/up12/internal/registry"
)

func newTestServer() *Server {
	c := cache.New(16)
	c.PutMany(map[string][]byte{"k": []byte("v")}, time.Minute)
	return New(log.New(io.Discard, "", 0), c, registry.New())
}

func TestGetRoutes(t *testing.T) {
	cases := []struct {
		path string
		want int
	}{
		{"/get/k", http.StatusOK},
		{"/get/missing", http.StatusNotFound},
	}
	for _, tc := range cases {
		ts := httptest.NewServer(newTestServer().Handler())
		defer ts.Close() // HAZ defer-in-loop
		resp, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.want)
		}
	}
}

func TestGetRoutesSubtests(t *testing.T) {
	cases := map[string]int{"/get/k": http.StatusOK, "/get/missing": http.StatusNotFound}
	for path, want := range cases {
		path, want := path, want
		t.Run(path, func(t *testing.T) {
			ts := httptest.NewServer(newTestServer().Handler())
			defer ts.Close()
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("status %d, want %d", resp.StatusCode, want)
			}
		})
	}
}

func TestQuotaChecked(t *testing.T) {
	s := newTestServer()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/quota", nil)
	req.Header.Set("X-User", "alice")
	s.handleQuotaChecked(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
}
