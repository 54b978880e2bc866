package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type doc struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func TestWriteJSONAtomicRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	want := doc{Name: "web", Count: 3}
	if err := WriteJSONAtomic(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	var got doc
	if err := ReadJSON(path, &got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestWriteFileAtomicLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "exit-status")
	for _, content := range []string{"0\n", "137\n"} {
		if err := WriteFileAtomic(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "137\n" {
		t.Fatalf("content %q", data)
	}
}

func TestPIDFileReplacesStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shim.pid")
	// pid_max on Linux is at most 2^22, so this pid cannot be alive.
	if err := os.WriteFile(path, []byte("4194305\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WritePIDFile(path, os.Getpid()); err != nil {
		t.Fatal(err)
	}
	pid, err := ReadPIDFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if pid != os.Getpid() {
		t.Fatalf("pid file holds %d", pid)
	}
	if err := RemovePIDFile(path, os.Getpid()); err != nil {
		t.Fatal(err)
	}
}

func TestWithLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crtd.lock")
	err := WithLock(path, func() error {
		_, err := AcquireLock(path)
		return err
	})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("nested acquire: got %v, want ErrLocked", err)
	}
	l, err := AcquireLock(path)
	if err != nil {
		t.Fatalf("lock not released: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
}

func TestEventLogRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.log")
	l, err := OpenEventLog(path, 200)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	})
	for i := 0; i < 10; i++ {
		if err := l.Append("start", "c1", map[string]any{"pid": 100 + i}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path + ".1"); err != nil {
		t.Fatalf("no rotated file: %v", err)
	}
	if l.Size() > 200 {
		t.Fatalf("current log is %d bytes", l.Size())
	}
}
