package scratch

import (
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWorkspaceCleanupIsIdempotent(t *testing.T) {
	ws, err := New(t.TempDir(), "abc")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ws.CreateTemp("seg-*.ts")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if len(ws.Files()) != 1 {
		t.Fatalf("files = %v", ws.Files())
	}
	for range 2 {
		if err := ws.Cleanup(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(ws.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("workspace still exists: %v", err)
	}
}

func TestDirLockIsExclusive(t *testing.T) {
	dir := t.TempDir()
	l, err := AcquireDirLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Release() })
	if _, err := AcquireDirLock(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v", err)
	}
}

func TestRunReportsCleanup(t *testing.T) {
	parent := t.TempDir()
	var seen string
	err := Run(parent, "job1", func(ws *Workspace) error {
		seen = ws.Dir
		return os.WriteFile(ws.Path("out.mp4"), []byte("x"), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(seen); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("Run did not remove the workspace")
	}
}

func TestSweepOnceRemovesStale(t *testing.T) {
	root := t.TempDir()
	stale := filepath.Join(root, "job-old-1")
	fresh := filepath.Join(root, "job-new-1")
	for _, d := range []string{stale, fresh} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-24 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	s := NewSweeper(root, time.Hour, log.New(io.Discard, "", 0))
	n, err := s.SweepOnce()
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("removed %d", n)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatalf("fresh workspace removed: %v", err)
	}
}
