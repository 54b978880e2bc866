package cache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"example.com/fah31/api"
)

func obj(ns, name string, rv int64) *api.Object {
	return &api.Object{ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name, ResourceVersion: rv}}
}

func byNS(o *api.Object) []string { return []string{o.Namespace} }

type countingHandler struct {
	mu                    sync.Mutex
	adds, updates, delete int
}

func (h *countingHandler) OnAdd(*api.Object) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.adds++
}

func (h *countingHandler) OnUpdate(_, _ *api.Object) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.updates++
}

func (h *countingHandler) OnDelete(*api.Object) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.delete++
}

func TestIndexKeys(t *testing.T) {
	s := NewStore(map[string]IndexFunc{"ns": byNS})
	s.Add(obj("a", "x", 1))
	s.Add(obj("a", "y", 1))
	s.Add(obj("b", "z", 1))
	cases := []struct {
		ns   string
		want int
	}{{"a", 2}, {"b", 1}, {"c", 0}}
	for _, tc := range cases {
		t.Run(tc.ns, func(t *testing.T) {
			keys, err := s.IndexKeys("ns", tc.ns)
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != tc.want {
				t.Fatalf("IndexKeys(%q) = %v, want %d keys", tc.ns, keys, tc.want)
			}
		})
	}
}

func TestHandlersSeeAddsAndDeletes(t *testing.T) {
	s := NewStore(nil)
	h := &countingHandler{}
	s.Add(obj("a", "x", 1))
	s.AddEventHandler(h)
	s.Add(obj("a", "x", 2))
	s.Delete("a/x")
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.adds != 1 || h.updates != 1 || h.delete != 1 {
		t.Fatalf("adds=%d updates=%d deletes=%d, want 1/1/1", h.adds, h.updates, h.delete)
	}
}

func TestConcurrentReadersAndWriters(t *testing.T) {
	s := NewStore(map[string]IndexFunc{"ns": byNS})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s.Add(obj("ns", string(rune('a'+i)), int64(i)))
		}()
		go func() {
			defer wg.Done()
			_ = s.List()
			_, _ = s.IndexKeys("ns", "ns")
		}()
	}
	wg.Wait()
	if s.Len() != 8 {
		t.Fatalf("Len() = %d, want 8", s.Len())
	}
}

type fakeLW struct {
	objs  []*api.Object
	err   error
	delay time.Duration
}

func (f fakeLW) List(ctx context.Context) ([]*api.Object, error) {
	select {
	case <-time.After(f.delay):
		return f.objs, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f fakeLW) Watch(context.Context) (<-chan Event, error) {
	return nil, errors.New("not implemented")
}

func TestListAllStopsAtDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	lws := []ListWatcher{
		fakeLW{objs: []*api.Object{obj("a", "x", 1)}},
		fakeLW{delay: time.Hour},
	}
	got, err := ListAll(ctx, lws)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline", err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d objects, want the 1 that arrived in time", len(got))
	}
}
