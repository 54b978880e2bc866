package sdk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/flagsvc/internal/flags"
)

func flagServer(t *testing.T, list []*flags.Flag) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/flags":
			w.Header().Set("ETag", `"v1"`)
			if err := json.NewEncoder(w).Encode(list); err != nil {
				t.Errorf("encode: %v", err)
			}
		case "/events":
			w.WriteHeader(http.StatusAccepted)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestWaitForInitAndVariation(t *testing.T) {
	srv := flagServer(t, []*flags.Flag{
		{Key: "dark-mode", Enabled: true, Variations: []string{"false", "true"}, Fallthrough: 1, Version: 3},
	})
	c, err := New(Options{BaseURL: srv.URL, SDKKey: "sdk-test"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.WaitForInit(ctx); err != nil {
		t.Fatal(err)
	}
	if !c.BoolVariation("dark-mode", flags.User{Key: "u1"}, false) {
		t.Fatal("dark-mode should be on")
	}
	if got := c.Variation("missing", flags.User{Key: "u1"}, "fallback"); got != "fallback" {
		t.Fatalf("missing flag = %q", got)
	}
	if err := c.flushEvents(); err != nil {
		t.Fatal(err)
	}
}
