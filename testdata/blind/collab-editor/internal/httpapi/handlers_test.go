package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/collab/internal/doc"
)

func newTestServer(t *testing.T) (*httptest.Server, *doc.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	store := doc.NewStore(ctx, 16, 8)
	srv := httptest.NewServer(New(Config{Store: store}).Handler())
	t.Cleanup(srv.Close)
	return srv, store
}

func TestCreateThenGet(t *testing.T) {
	srv, _ := newTestServer(t)

	resp, err := http.Post(srv.URL+"/docs", "application/json",
		strings.NewReader(`{"id":"plan","title":"Plan","text":"draft"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create status = %d", resp.StatusCode)
	}

	resp, err = http.Get(srv.URL + "/docs/plan")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var snap doc.Snapshot
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
		t.Fatal(err)
	}
	if snap.Text != "draft" || snap.Title != "Plan" {
		t.Fatalf("snapshot = %+v", snap)
	}
}

func TestPatchAppliesOp(t *testing.T) {
	srv, store := newTestServer(t)
	if _, err := store.Create("notes", "Notes", "ab"); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/docs/notes/ops",
		strings.NewReader(`{"kind":1,"pos":1,"text":"X","base":0}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Exclusive", "1")
	req.Header.Set("X-Client", "tester")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	d, _ := store.Get("notes")
	if got := d.Text(); got != "aXb" {
		t.Fatalf("text = %q", got)
	}
}

func TestRenderEscapes(t *testing.T) {
	page := string(renderHTML(doc.Snapshot{Title: "<b>", Text: "a & b"}))
	if !strings.Contains(page, "&lt;b&gt;") || !strings.Contains(page, "a &amp; b") {
		t.Fatalf("page not escaped: %s", page)
	}
}
