package api

import (
	"context"
	"errors"
	"testing"
	"time"
)

func newCluster(ns, name string, replicas int) *Cluster {
	return &Cluster{
		Meta: ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{"tier": "db"}},
		Spec: ClusterSpec{Replicas: replicas, Version: "1.0"},
	}
}

func TestFakeClientCreateGetUpdate(t *testing.T) {
	ctx := context.Background()
	c := NewFakeClient()
	created, err := c.Create(ctx, newCluster("prod", "pg", 3))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := c.Create(ctx, newCluster("prod", "pg", 3)); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("second Create: got %v, want ErrAlreadyExists", err)
	}
	created.Spec.Replicas = 5
	updated, err := c.Update(ctx, created)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if updated.Meta.Generation != 2 {
		t.Errorf("generation = %d, want 2", updated.Meta.Generation)
	}
	if _, err := c.Update(ctx, created); !errors.Is(err, ErrConflict) {
		t.Errorf("stale Update: got %v, want ErrConflict", err)
	}
	got, err := c.Get(ctx, "prod/pg")
	if err != nil || got.Spec.Replicas != 5 {
		t.Fatalf("Get = %+v, %v", got, err)
	}
}

func TestFakeClientDeleteHonoursFinalizers(t *testing.T) {
	ctx := context.Background()
	obj := newCluster("prod", "pg", 1)
	obj.Meta.Finalizers = []string{"example.com/cleanup"}
	c := NewFakeClient(obj)
	if err := c.Delete(ctx, "prod/pg"); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "prod/pg")
	if err != nil {
		t.Fatalf("object vanished despite finalizer: %v", err)
	}
	if got.Meta.DeletionTimestamp == nil {
		t.Fatal("deletion timestamp not set")
	}
	got.Meta.RemoveFinalizer("example.com/cleanup")
	if _, err := c.Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "prod/pg"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after finalizer removal: %v", err)
	}
}

func TestFakeWatchDeliversEvents(t *testing.T) {
	ctx := context.Background()
	c := NewFakeClient()
	w, err := c.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	if _, err := c.Create(ctx, newCluster("dev", "cache", 1)); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-w.ResultChan():
		if ev.Type != Added || ev.Object.Meta.Key() != "dev/cache" {
			t.Fatalf("unexpected event %v %s", ev.Type, ev.Object.Meta.Key())
		}
	case <-time.After(time.Second):
		t.Fatal("no event within 1s")
	}
}
