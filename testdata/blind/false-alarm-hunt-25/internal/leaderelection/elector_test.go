package leaderelection

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/fah25/api"
)

// fakeLeaseAPI stores leases in memory with optimistic concurrency on ResourceVersion.
type fakeLeaseAPI struct {
	mu     sync.Mutex
	leases map[string]api.Lease
	rv     int
}

func (f *fakeLeaseAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := strings.TrimPrefix(r.URL.Path, "/leases/")
	switch r.Method {
	case http.MethodGet:
		l, ok := f.leases[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(l)
	case http.MethodPost, http.MethodPut:
		var l api.Lease
		if err := json.NewDecoder(r.Body).Decode(&l); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		cur, exists := f.leases[l.Name]
		if (r.Method == http.MethodPost && exists) || (r.Method == http.MethodPut && cur.ResourceVersion != l.ResourceVersion) {
			http.Error(w, "conflict", http.StatusConflict)
			return
		}
		f.rv++
		l.ResourceVersion = strconv.Itoa(f.rv)
		f.leases[l.Name] = l
		json.NewEncoder(w).Encode(l)
	default:
		http.Error(w, "unsupported", http.StatusMethodNotAllowed)
	}
}

func newElector(t *testing.T, url, identity string) *LeaderElector {
	t.Helper()
	le, err := NewLeaderElector(Config{
		Name:          "test",
		Identity:      identity,
		LeaseDuration: 3 * time.Second,
		RenewDeadline: 2 * time.Second,
		RetryPeriod:   20 * time.Millisecond,
		Callbacks: Callbacks{
			OnStartedLeading: func(context.Context) {},
			OnStoppedLeading: func() {},
		},
	}, NewLeaseClient(url, nil))
	if err != nil {
		t.Fatal(err)
	}
	return le
}

func TestOnlyOneElectorLeads(t *testing.T) {
	srv := httptest.NewServer(&fakeLeaseAPI{leases: map[string]api.Lease{}})
	defer srv.Close()

	first := newElector(t, srv.URL, "a")
	second := newElector(t, srv.URL, "b")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	if !first.tryAcquireOrRenew(ctx) {
		t.Fatal("first elector did not acquire a free lease")
	}
	if second.tryAcquireOrRenew(ctx) {
		t.Fatal("second elector acquired a lease that is held")
	}
	if got := second.GetLeader(); got != "a" {
		t.Fatalf("second sees leader %q, want a", got)
	}
}

func TestStartRenewalStopsOnCancel(t *testing.T) {
	srv := httptest.NewServer(&fakeLeaseAPI{leases: map[string]api.Lease{}})
	defer srv.Close()
	le := newElector(t, srv.URL, "a")
	stop := le.StartRenewal(context.Background())
	time.Sleep(50 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("renewal did not stop")
	}
}
