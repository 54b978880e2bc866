package configui

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/edgehub/internal/device"
)

type fakeDevices []device.Status

func (f fakeDevices) Statuses() []device.Status { return f }

type fakeProber struct{ err error }

func (p fakeProber) Probe(ctx context.Context) error { return p.err }

func newTestServer(t *testing.T) *Server {
	t.Helper()
	st, err := OpenStore(filepath.Join(t.TempDir(), "ui.json"))
	if err != nil {
		t.Fatal(err)
	}
	devs := fakeDevices{{ID: "t1", Kind: "thermo", LastSeen: time.Now()}}
	return NewServer(st, devs, fakeProber{err: errors.New("unreachable")}, t.TempDir())
}

func TestStoreSetGet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ui.json")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Set("broker", "mqtt.local:1883"); err != nil {
		t.Fatal(err)
	}
	again, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := again.Get("broker"); v != "mqtt.local:1883" {
		t.Fatalf("broker = %q after reopen", v)
	}
}

func TestHandleStatus(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/status", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"t1"`) {
		t.Fatalf("status %d body %s", rec.Code, rec.Body.String())
	}
}

func TestWithRecover(t *testing.T) {
	h := withRecover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]int
		m["x"]++
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestCommandDisabled(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/command", strings.NewReader(`{}`)))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d", rec.Code)
	}
}
