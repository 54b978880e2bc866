package cache

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestKeyChangesWithContent(t *testing.T) {
	dir := t.TempDir()
	lock := filepath.Join(dir, "go.sum")
	if err := os.WriteFile(lock, []byte("a v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k1, err := Key("gomod", []string{lock})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, []byte("a v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k2, err := Key("gomod", []string{lock})
	if err != nil {
		t.Fatal(err)
	}
	if k1 == k2 {
		t.Fatalf("key did not change: %s", k1)
	}
	if !validKey(k1) {
		t.Fatalf("Key produced invalid key %q", k1)
	}
}

func TestPutOpenEntry(t *testing.T) {
	s, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := s.Put("k1", bytes.NewReader([]byte("archive"))); err != nil {
		t.Fatal(err)
	}
	f, size, err := s.OpenEntry("k1")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if size != 7 || string(got) != "archive" {
		t.Fatalf("entry = %q (%d bytes)", got, size)
	}
	if s.Size() != 7 {
		t.Fatalf("Size = %d", s.Size())
	}
}

func TestHashTreeDeterministic(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"a", "b/c", "b/d"} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h1, err := HashTree(root, 1)
	if err != nil {
		t.Fatal(err)
	}
	h4, err := HashTree(root, 4)
	if err != nil {
		t.Fatal(err)
	}
	if h1 != h4 {
		t.Fatalf("HashTree depends on worker count: %s vs %s", h1, h4)
	}
}
