package staging

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func newTestStager(t *testing.T) *Stager {
	t.Helper()
	s, err := NewStager(t.TempDir(), false, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStageBytes(t *testing.T) {
	s := newTestStager(t)
	p, err := s.StageBytes("a.jsonl", []byte("{}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Size != 3 || len(p.Sum) != 64 {
		t.Fatalf("part = %+v", p)
	}
	if got, ok := s.Get("a.jsonl"); !ok || got != p {
		t.Fatalf("Get = %+v, %v", got, ok)
	}
	if err := s.Remove("a.jsonl"); err != nil {
		t.Fatal(err)
	}
	if s.TotalSize() != 0 {
		t.Fatalf("total size after remove = %d", s.TotalSize())
	}
}

func TestHandlerReceiveOne(t *testing.T) {
	h := &Handler{Stager: newTestStager(t), MaxBytes: 1 << 10}
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPut, srv.URL+"/stage/x.txt", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if _, ok := h.Stager.Get("x.txt"); !ok {
		t.Fatal("part not staged")
	}
}

func TestUploadMissing(t *testing.T) {
	var mu sync.Mutex
	got := map[string]string{}
	ingest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodHead:
			w.WriteHeader(http.StatusNotFound)
		case r.Method == http.MethodPut:
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got[r.URL.Path] = string(b)
			mu.Unlock()
			w.WriteHeader(http.StatusCreated)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer ingest.Close()
	s := newTestStager(t)
	for _, name := range []string{"a", "b", "c"} {
		if _, err := s.StageBytes(name, []byte(name+name)); err != nil {
			t.Fatal(err)
		}
	}
	up := NewUploader(ingest.URL, "tok", 0, log.New(io.Discard, "", 0))
	if err := up.UploadMissing(context.Background(), "batch1", s, 2); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got["/parts/b"] != "bb" {
		t.Fatalf("uploads = %v", got)
	}
}
