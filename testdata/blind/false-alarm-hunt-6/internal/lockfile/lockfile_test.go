package lockfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestAcquireRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.PID() != os.Getpid() {
		t.Fatalf("pid = %d", l.PID())
	}
	if _, err := Acquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Acquire: %v", err)
	}
}

func TestStaleLockIsBroken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stale.lock")
	if err := os.WriteFile(path, []byte("999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := AcquireStale(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Release(); err != nil {
			t.Error(err)
		}
	})
}

func TestAcquireWaitTimesOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	start := time.Now()
	if _, err := AcquireWait(path, 50*time.Millisecond, 10*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("AcquireWait did not time out")
	}
}

func TestWithLockReleasesOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.lock")
	boom := errors.New("boom")
	if err := WithLock(path, func() error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file left behind: %v", err)
	}
}

func TestPIDFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.pid")
	if err := WritePIDFile(path); err != nil {
		t.Fatal(err)
	}
	defer RemovePIDFile(path)
	pid, err := ReadPID(path)
	if err != nil || pid != os.Getpid() {
		t.Fatalf("ReadPID = %d, %v", pid, err)
	}
}
