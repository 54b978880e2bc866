package store

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}

func TestPutReadAll(t *testing.T) {
	st := newTestStore(t)
	if _, err := st.Put("hello.txt", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := st.ReadAll("hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte("hello")) {
		t.Fatalf("ReadAll = %q", got)
	}
	if _, err := st.ReadAll("missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ReadAll(missing) error = %v; want ErrNotFound", err)
	}
}

func TestVerifyDetectsCorruption(t *testing.T) {
	st := newTestStore(t)
	if _, err := st.Put("a.bin", strings.NewReader("payload")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(st.blobDir(), "a.bin"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := st.Verify("a.bin"); err == nil {
		t.Fatal("Verify accepted a corrupted blob")
	}
}

func TestBackupAndJournal(t *testing.T) {
	st := newTestStore(t)
	for _, k := range []string{"x", "y"} {
		if _, err := st.Put(k, strings.NewReader(k)); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "backup.jsonl")
	if err := st.Backup(dst); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 2 {
		t.Fatalf("backup has %d lines; want 2", n)
	}
	ops := 0
	for e, err := range st.Journal() {
		if err != nil {
			t.Fatal(err)
		}
		if e.Op == "put" {
			ops++
		}
	}
	if ops != 2 {
		t.Fatalf("journal has %d puts; want 2", ops)
	}
}
