package replication

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/objstore/internal/store"
)

type memSource map[string]string

func (m memSource) OpenReader(bucket, key string) (io.ReadCloser, store.ObjectInfo, error) {
	body, ok := m[bucket+"/"+key]
	if !ok {
		return nil, store.ObjectInfo{}, store.ErrNotFound
	}
	info := store.ObjectInfo{Bucket: bucket, Key: key, Size: int64(len(body)), ContentType: "text/plain"}
	return io.NopCloser(strings.NewReader(body)), info, nil
}

type recordingPeer struct {
	mu   sync.Mutex
	puts map[string]string
}

func (p *recordingPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(ReplicaHeader) != "1" {
		http.Error(w, "not a replica request", http.StatusBadRequest)
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.puts[r.URL.Path] = string(data)
	p.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func newPeers(t *testing.T, n int) ([]Peer, []*recordingPeer) {
	t.Helper()
	var peers []Peer
	var recs []*recordingPeer
	for i := range n {
		rec := &recordingPeer{puts: make(map[string]string)}
		srv := httptest.NewServer(rec)
		t.Cleanup(srv.Close)
		peers = append(peers, Peer{Name: string(rune('a' + i)), URL: srv.URL})
		recs = append(recs, rec)
	}
	return peers, recs
}

func TestReplicatePushesToEveryPeer(t *testing.T) {
	peers, recs := newPeers(t, 3)
	src := memSource{"docs/a b.txt": "hello"}
	r := New(src, Config{Peers: peers, KeyID: "k", Secret: []byte("s"), MaxRetries: 1, Backoff: time.Millisecond}, log.New(io.Discard, "", 0))
	if err := r.Replicate(context.Background(), Task{Bucket: "docs", Key: "a b.txt"}); err != nil {
		t.Fatalf("Replicate: %v", err)
	}
	for i, rec := range recs {
		rec.mu.Lock()
		got := rec.puts["/docs/a b.txt"]
		rec.mu.Unlock()
		if got != "hello" {
			t.Errorf("peer %d got %q", i, got)
		}
	}
}
