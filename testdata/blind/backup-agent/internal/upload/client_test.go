package upload

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// objectStore is an in-memory fake of the object store API.
type objectStore struct {
	mu       sync.Mutex
	objects  map[string][]byte
	failPuts int
}

func (s *objectStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/objects/")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		if s.failPuts > 0 {
			s.failPuts--
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.objects[key] = body
		w.WriteHeader(http.StatusCreated)
	case http.MethodGet:
		b, ok := s.objects[key]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	case http.MethodDelete:
		delete(s.objects, key)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func newTestClient(t *testing.T, store *objectStore) *Client {
	t.Helper()
	if store.objects == nil {
		store.objects = make(map[string][]byte)
	}
	srv := httptest.NewServer(store)
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, WithRetries(3), WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	c.backoff = time.Millisecond
	return c
}

func TestPutRetriesOnServiceUnavailable(t *testing.T) {
	store := &objectStore{failPuts: 2}
	c := newTestClient(t, store)
	if err := c.Put(context.Background(), "k", []byte("v")); err != nil {
		t.Fatalf("Put after two 503s: %v", err)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if string(store.objects["k"]) != "v" {
		t.Fatal("object not stored")
	}
}

func TestUploadAllCollectsErrors(t *testing.T) {
	store := &objectStore{failPuts: 100}
	c := newTestClient(t, store)
	c.retries = 0
	u := NewUploader(c, 4, 0, nil)
	jobs := []Job{{Key: "a", Data: []byte("1")}, {Key: "b", Data: []byte("2")}}
	if err := u.UploadAll(context.Background(), jobs); err == nil {
		t.Fatal("UploadAll succeeded against a failing store")
	}
	if st := u.Stats(); st.Failed == 0 {
		t.Fatalf("stats = %+v, want failures", st)
	}
}
