package gateway

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/iotagent/internal/pubsub"
)

func newTestGateway(t *testing.T) *Gateway {
	t.Helper()
	b := pubsub.NewBroker(time.Minute)
	t.Cleanup(func() { b.Close() })
	return New(b, NewRegistry(), "", t.TempDir())
}

func TestRegistryUpsertGet(t *testing.T) {
	r := NewRegistry()
	r.Upsert(Device{ID: "d2", Firmware: "1.2"})
	r.Upsert(Device{ID: "d1"})
	d, ok := r.Get("d2")
	if !ok || d.Firmware != "1.2" {
		t.Fatalf("Get = %+v, %v", d, ok)
	}
	if list := r.List(); len(list) != 2 || list[0].ID != "d1" {
		t.Fatalf("List = %+v", list)
	}
}

func TestRegistrySaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "devices.json")
	r := NewRegistry()
	r.Upsert(Device{ID: "d1", Online: true, LastSeen: time.Unix(1700000000, 0).UTC()})
	if err := r.Save(path); err != nil {
		t.Fatal(err)
	}
	r2 := NewRegistry()
	if err := r2.Load(path); err != nil {
		t.Fatal(err)
	}
	d, ok := r2.Get("d1")
	if !ok || d.Online {
		t.Fatalf("loaded %+v, %v (devices must load offline)", d, ok)
	}
}

func TestPrune(t *testing.T) {
	r := NewRegistry()
	now := time.Now()
	r.Upsert(Device{ID: "old", LastSeen: now.Add(-48 * time.Hour)})
	r.Upsert(Device{ID: "new", LastSeen: now})
	if gone := r.Prune(now.Add(-time.Hour)); len(gone) != 1 || gone[0] != "old" {
		t.Fatalf("Prune = %v", gone)
	}
}

func TestHandleStatus(t *testing.T) {
	g := newTestGateway(t)
	g.reg.Upsert(Device{ID: "d1"})
	rec := httptest.NewRecorder()
	g.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/status", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	var body map[string]int
	if err := json.NewDecoder(rec.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body["devices"] != 1 {
		t.Fatalf("body = %v", body)
	}
}

func TestReadChunk(t *testing.T) {
	g := newTestGateway(t)
	if err := os.WriteFile(filepath.Join(g.fwDir, "fw.img"), []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := g.readChunk("fw.img", 4, 3)
	if err != nil || string(got) != "456" {
		t.Fatalf("readChunk = %q, %v", got, err)
	}
}
