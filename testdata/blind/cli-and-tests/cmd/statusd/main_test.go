package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestUploadHandlers(t *testing.T) {
	body := "ok\nERROR one\npanic: two\nfine\n"
	handlers := map[string]http.HandlerFunc{
		"sync":  handleUpload,
		"async": handleUploadAsync,
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader(body)))
			if rec.Code != http.StatusOK || rec.Body.String() != "2 error lines\n" {
				t.Errorf("%d %q", rec.Code, rec.Body.String())
			}
			rec = httptest.NewRecorder()
			h(rec, httptest.NewRequest(http.MethodGet, "/upload", nil))
			if rec.Code != http.StatusMethodNotAllowed {
				t.Errorf("GET: %d", rec.Code)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(handleStatus))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["uptime"]; !ok {
		t.Errorf("status = %v", got)
	}
}
