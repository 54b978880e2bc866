package election

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newTestElector(t *testing.T, path, id string) *Elector {
	t.Helper()
	return New(path, id, time.Minute, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestSingleLeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leader.lock")
	a := newTestElector(t, path, "node-a")
	b := newTestElector(t, path, "node-b")
	if err := a.TryAcquire(); err != nil {
		t.Fatal(err)
	}
	if err := b.TryAcquire(); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("second TryAcquire = %v, want ErrNotLeader", err)
	}
	h, err := b.Current()
	if err != nil || h.ID != "node-a" {
		t.Fatalf("Current = %+v, %v", h, err)
	}
	if got := Status(path, time.Minute); !strings.HasPrefix(got, "leader node-a") {
		t.Fatalf("Status = %q", got)
	}
}

func TestStatusWithoutLeader(t *testing.T) {
	if got := Status(filepath.Join(t.TempDir(), "none.lock"), time.Minute); got != "no leader" {
		t.Fatalf("Status = %q", got)
	}
}
