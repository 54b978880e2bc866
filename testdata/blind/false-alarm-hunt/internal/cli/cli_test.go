package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// t.Fatalf after a defer is fine: it calls runtime.Goexit, which runs the
// deferred calls of the test goroutine.
func TestCheckManifestMissingName(t *testing.T) {
	path := writeTemp(t, "m.json", `{"version":"1.0.0","files":["a"]}`)
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()

	rep := &Reporter{}
	CheckManifest(path, rep)
	if !rep.Failed() {
		t.Fatalf("expected a fatal problem, got %v", rep.problems)
	}
}

func TestRegistryDuplicatePanics(t *testing.T) {
	var r Registry
	r.MustRegister("build", func([]string) error { return nil })

	defer func() {
		rec := recover()
		if rec == nil {
			t.Fatal("expected panic for duplicate registration")
		}
		if msg := fmt.Sprint(rec); !strings.Contains(msg, "duplicate command") {
			t.Fatalf("unexpected panic: %v", rec)
		}
	}()
	r.MustRegister("build", func([]string) error { return nil })
}

func TestRunWithLockFileRemovesLock(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "run.lock")
	if code := RunWithLockFile(lock, func() error { return nil }); code != 0 {
		t.Fatalf("exit code = %d, want 0", code)
	}
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Fatalf("lock file still present: %v", err)
	}
}
