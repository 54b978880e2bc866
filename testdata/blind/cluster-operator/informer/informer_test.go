package informer

import (
	"context"
	"io"
	"log"
	"sync"
	"testing"
	"time"

	"example.com/operator/api"
)

type recordingHandler struct {
	mu      sync.Mutex
	added   []string
	updated []string
	deleted []string
}

func (r *recordingHandler) OnAdd(obj *api.Cluster) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.added = append(r.added, obj.Meta.Key())
}

func (r *recordingHandler) OnUpdate(_, cur *api.Cluster) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updated = append(r.updated, cur.Meta.Key())
}

func (r *recordingHandler) OnDelete(obj *api.Cluster) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deleted = append(r.deleted, obj.Meta.Key())
}

func (r *recordingHandler) counts() (a, u, d int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.added), len(r.updated), len(r.deleted)
}

func TestInformerSyncsAndFollowsWatch(t *testing.T) {
	client := api.NewFakeClient(&api.Cluster{Meta: api.ObjectMeta{Namespace: "prod", Name: "pg"}})
	inf := New(client, log.New(io.Discard, "", 0))
	rec := &recordingHandler{}
	inf.AddHandler(rec)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()

	waitCtx, waitCancel := context.WithTimeout(ctx, 2*time.Second)
	defer waitCancel()
	if !inf.WaitForSync(waitCtx) {
		t.Fatal("informer did not sync")
	}
	if _, err := client.Create(ctx, &api.Cluster{Meta: api.ObjectMeta{Namespace: "prod", Name: "redis"}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for inf.Cache().Len() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := inf.Cache().Len(); n != 2 {
		t.Fatalf("cache has %d objects, want 2", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if a, _, _ := rec.counts(); a != 2 {
		t.Errorf("handler saw %d adds, want 2", a)
	}
}

func TestCacheReplaceReportsRemoved(t *testing.T) {
	c := NewCache()
	for _, name := range []string{"a", "b", "c"} {
		c.Upsert(&api.Cluster{Meta: api.ObjectMeta{Namespace: "ns", Name: name, Labels: map[string]string{"app": name}}})
	}
	removed := c.Replace([]*api.Cluster{{Meta: api.ObjectMeta{Namespace: "ns", Name: "b"}}})
	if len(removed) != 2 || removed[0].Meta.Name != "a" || removed[1].Meta.Name != "c" {
		t.Fatalf("removed = %v", removed)
	}
	if c.Len() != 1 {
		t.Fatalf("Len = %d, want 1", c.Len())
	}
}

func TestReplayCountsEvents(t *testing.T) {
	inf := New(api.NewFakeClient(), log.New(io.Discard, "", 0))
	events := make(chan api.Event, 3)
	for _, name := range []string{"a", "b", "c"} {
		events <- api.Event{Type: api.Added, Object: &api.Cluster{Meta: api.ObjectMeta{Name: name}}}
	}
	close(events)
	if n := inf.Replay(events); n != 3 {
		t.Fatalf("Replay applied %d events, want 3", n)
	}
}

func TestInformerRelistsAfterWatchClose(t *testing.T) {
	client := api.NewFakeClient(&api.Cluster{Meta: api.ObjectMeta{Namespace: "prod", Name: "pg"}})
	inf := New(client, log.New(io.Discard, "", 0))
	inf.relistBackoff = 10 * time.Millisecond

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error)
	go func() { errc <- inf.Run(ctx) }() // HAZ goroutine-blocked-send

	syncCtx, syncCancel := context.WithTimeout(ctx, 2*time.Second)
	defer syncCancel()
	if !inf.WaitForSync(syncCtx) {
		t.Fatal("informer did not sync")
	}
	client.CloseWatches()
	if _, err := client.Create(ctx, &api.Cluster{Meta: api.ObjectMeta{Namespace: "prod", Name: "kafka"}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, ok := inf.Cache().Get("prod/kafka"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("object created after the watch closed never reached the cache")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestStreamAllDeliversEverything(t *testing.T) {
	c := NewCache()
	for _, name := range []string{"a", "b", "c"} {
		c.Upsert(&api.Cluster{Meta: api.ObjectMeta{Namespace: "ns", Name: name}})
	}
	n := 0
	for range c.StreamAll(context.Background()) {
		n++
	}
	if n != 3 {
		t.Fatalf("streamed %d objects, want 3", n)
	}
}
