package refs

import (
	"os"
	"path/filepath"
	"testing"

	"example.com/vcscli/internal/object"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return NewStore(dir, nil)
}

func TestUpdateAndResolveThroughHead(t *testing.T) {
	s := newTestStore(t)
	id := object.Hash(object.KindCommit, []byte("c1"))
	if err := s.Update("refs/heads/main", id, object.ZeroID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if got != id {
		t.Fatalf("HEAD = %s, want %s", got, id)
	}
}
