package pidfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// stalePath holds a pid no process can have (above Linux's pid_max).
var stalePath string

func TestMain(m *testing.M) {
	f, err := os.CreateTemp("", "pidfile-stale-*.pid")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1) // ok: nothing deferred yet
	}
	defer os.Remove(f.Name())
	fmt.Fprintf(f, "%d\n", 1<<23)
	f.Close()
	stalePath = f.Name()
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func TestWriteReadRemove(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "d.pid")
	pf, err := Write(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if pid != os.Getpid() {
		t.Errorf("pid = %d, want %d", pid, os.Getpid())
	}
	if err := pf.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pid file still there: %v", err)
	}
}

func TestWriteTwiceIsLocked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "d.pid")
	pf, err := Write(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pf.Remove() })
	if _, err := Write(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Write: err = %v, want ErrLocked", err)
	}
}

func TestWriteReplacesStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stale.pid")
	b, err := os.ReadFile(stalePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pf, err := Write(path)
	if err != nil {
		t.Fatalf("Write over stale file: %v", err)
	}
	defer pf.Remove() // ok: runs when the test function returns, also after t.Fatal
	if pid, _ := Read(path); pid != os.Getpid() {
		t.Errorf("pid = %d", pid)
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		want    int
		wantErr bool
	}{
		{"plain", "123\n", 123, false},
		{"spaces", "  42  ", 42, false},
		{"garbage", "abc", 0, true},
		{"empty", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, tt.name)
			if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := Read(p)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Read(%q) = %d, %v", tt.content, got, err)
			}
		})
	}
}

func TestAcquireExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.lock")
	const n = 8
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		winner int
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := Acquire(path)
			if err != nil {
				if !errors.Is(err, ErrLocked) {
					t.Errorf("worker %d: %v", i, err) // ok: Errorf is allowed off the test goroutine
				}
				return
			}
			mu.Lock()
			winner++
			mu.Unlock()
			_ = l // released by the test below
		}()
	}
	wg.Wait()
	if winner != 1 {
		t.Fatalf("%d goroutines acquired the lock, want 1", winner)
	}
	l := &Lock{path: path}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
}

func TestAcquireWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.lock")
	first, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		defer close(released) // ok: the only sender/closer is this goroutine
		time.Sleep(50 * time.Millisecond)
		first.Release()
	}()
	second, err := AcquireWait(path, 2*time.Second)
	if err != nil {
		t.Fatalf("AcquireWait: %v", err)
	}
	<-released
	if err := second.Release(); err != nil {
		t.Error(err)
	}
}

func TestAcquireWaitTimesOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Release() })
	if _, err := AcquireWait(path, 60*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
}

func BenchmarkAcquireRelease(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.lock")
	for i := 0; i < b.N; i++ {
		l, err := Acquire(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Release(); err != nil { // ok: released in the same iteration, no defer
			b.Fatal(err)
		}
	}
}
