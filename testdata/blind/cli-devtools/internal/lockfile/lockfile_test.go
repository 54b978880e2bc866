package lockfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestAcquireTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := Acquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Acquire: %v, want ErrLocked", err)
	}
	pid, err := Owner(path)
	if err != nil || pid != os.Getpid() {
		t.Fatalf("Owner = %d, %v", pid, err)
	}
}

func TestReleaseRemoves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "y.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Fatalf("second Release: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file still there: %v", err)
	}
}
