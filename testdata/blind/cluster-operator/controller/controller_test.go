package controller

import (
	"context"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/operator/api"
	"example.com/operator/informer"
	"example.com/operator/metrics"
)

func newTestController(t *testing.T, objs ...*api.Cluster) (*Controller, *api.FakeClient) {
	t.Helper()
	client := api.NewFakeClient(objs...)
	logger := log.New(io.Discard, "", 0)
	inf := informer.New(client, logger)
	c := New(client, inf, metrics.NewRegistry(), Options{StorageRoot: t.TempDir(), Logger: logger})
	return c, client
}

func TestStorageDirStaysUnderRoot(t *testing.T) {
	c, _ := newTestController(t)
	obj := &api.Cluster{Meta: api.ObjectMeta{Namespace: "prod", Name: "pg"}, Spec: api.ClusterSpec{StorageDir: "../../etc"}}
	dir := c.storageDir(obj)
	rel, err := filepath.Rel(c.opts.StorageRoot, dir)
	if err != nil || filepath.IsAbs(rel) || strings.HasPrefix(rel, "..") {
		t.Fatalf("storage dir %s escapes root %s", dir, c.opts.StorageRoot)
	}
}

func TestWriteConfigAndReadyMarkers(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	obj := &api.Cluster{Meta: api.ObjectMeta{Namespace: "prod", Name: "pg", Generation: 3}, Spec: api.ClusterSpec{Replicas: 3}}
	if err := writeConfig(dir, obj); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "cluster.json")); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := writeReadyMarker(filepath.Join(dir, "data", "replica-"+string(rune('0'+i))+".ready"), 3); err != nil {
			t.Fatal(err)
		}
	}
	if n := countReady(dir, 3); n != 2 {
		t.Fatalf("countReady = %d, want 2", n)
	}
	if errs := probeAll(dir, 3); len(errs) != 1 {
		t.Fatalf("probeAll = %v, want one failure", errs)
	}
}

func TestCallHookConvertsPanic(t *testing.T) {
	err := callHook(context.Background(), "boom", func(context.Context, *api.Cluster) error {
		panic("kaboom")
	}, &api.Cluster{})
	if err == nil {
		t.Fatal("panic not converted to an error")
	}
}

func TestRunHooksIsolatedCollectsErrors(t *testing.T) {
	c, _ := newTestController(t)
	c.RegisterHook("ok", func(context.Context, *api.Cluster) error { return nil })
	c.RegisterHook("fails", func(context.Context, *api.Cluster) error { return errors.New("no route") })
	errs := c.runHooksIsolated(context.Background(), &api.Cluster{})
	if len(errs) != 1 || errs["fails"] == nil {
		t.Fatalf("errs = %v", errs)
	}
}

func TestSaveAndReadStatusSnapshot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "status.json")
	want := api.ClusterStatus{Phase: api.PhaseRunning, ReadyReplicas: 3}
	if err := saveStatusSnapshot(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := readStatusSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Phase != want.Phase || got.ReadyReplicas != want.ReadyReplicas {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestShardOfIsStable(t *testing.T) {
	for _, key := range []string{"prod/pg", "dev/redis", "a"} {
		s := shardOf(key, 4)
		if s < 0 || s >= 4 || s != shardOf(key, 4) {
			t.Fatalf("shardOf(%q) = %d", key, s)
		}
	}
}
