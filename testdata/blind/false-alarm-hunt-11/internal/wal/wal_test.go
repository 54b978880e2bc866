package wal_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"example.com/fah11/internal/wal"
)

var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wal-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir

	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "cleanup:", err)
	}
	os.Exit(code)
}

func TestAppendReplay(t *testing.T) {
	dir := filepath.Join(scratch, t.Name())
	w, err := wal.Open(dir, 128, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := w.Append(fmt.Sprintf("k%02d", i), []byte("value")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	var n int
	if err := wal.Replay(dir, func(wal.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 20 {
		t.Fatalf("replayed %d records, want 20", n)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := wal.WriteFileAtomic(path, []byte(`{"v":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"v":1}` {
		t.Fatalf("read back %q", got)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "MANIFEST")
	want := []string{"a.wal", "b.wal"}
	if err := wal.WriteManifest(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := wal.ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("manifest = %v, want %v", got, want)
	}
}
