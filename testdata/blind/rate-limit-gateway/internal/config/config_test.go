package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseRejectsDuplicateNames(t *testing.T) {
	_, err := Parse([]byte(`{"version":1,"routes":[
		{"name":"a","prefix":"/a","upstream":"http://127.0.0.1:1"},
		{"name":"a","prefix":"/b","upstream":"http://127.0.0.1:2"}]}`))
	if err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("err = %v, want a duplicate-name error", err)
	}
}

func TestParseWithDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cfg, err := ParseWithDeadline(ctx, []byte(`{"version":3,"routes":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 3 {
		t.Fatalf("version = %d", cfg.Version)
	}
}

type countingSub struct{ n chan int }

func (c *countingSub) OnReload(cfg *Config) { c.n <- cfg.Version }

func TestRunOnceInstallsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "routes.json")
	data := `{"version":7,"routes":[{"name":"api","prefix":"/api","upstream":"http://127.0.0.1:9001"}]}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(path, 0, "")
	sub := &countingSub{n: make(chan int, 1)}
	w.Subscribe(sub)
	if err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-sub.n:
		if v != 7 {
			t.Fatalf("subscriber saw version %d", v)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("subscriber not notified")
	}
	if got := w.Current().Version; got != 7 {
		t.Fatalf("current version = %d", got)
	}
}
