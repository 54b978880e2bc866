package checkpoint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Advance("/var/log/app.log", 120)
	s.Advance("/var/log/app.log", 80) // out of order: ignored
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := s2.Get("/var/log/app.log"); got != 120 {
		t.Fatalf("offset = %d, want 120", got)
	}
}

func TestWriteAtomicLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	if err := writeAtomic(filepath.Join(dir, "s.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("leftover temp file %s", e.Name())
		}
	}
}

func TestPrune(t *testing.T) {
	s := &State{offsets: Offsets{"a": 1, "b": 2}}
	if n := s.Prune(func(f string) bool { return f == "a" }); n != 1 {
		t.Fatalf("pruned %d", n)
	}
	if _, ok := s.Snapshot()["b"]; ok {
		t.Fatal("b not pruned")
	}
}
