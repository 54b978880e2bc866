package antientropy

import (
	"os"
	"path/filepath"
	"testing"
)

func sampleEntries() []Entry {
	return []Entry{
		{Key: "color", Value: []byte("blue"), Version: 3, Origin: "a"},
		{Key: "size", Value: []byte("xl"), Version: 5, Origin: "b"},
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"one.snap", "two.snap"} {
		path := filepath.Join(dir, name)
		if err := SaveSnapshotAtomic(path, sampleEntries()); err != nil {
			t.Fatalf("save %s: %v", name, err)
		}
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Stat(); err != nil {
				t.Fatal(err)
			}
			got, err := ReadSnapshot(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[1].Version != 5 {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestStoreMergeAndMissing(t *testing.T) {
	s := NewStore()
	if n := s.Merge(sampleEntries()); n != 2 {
		t.Fatalf("merged %d, want 2", n)
	}
	if n := s.Merge(sampleEntries()); n != 0 {
		t.Fatalf("re-merge applied %d", n)
	}
	missing := s.Missing(map[string]uint64{"color": 3, "size": 1})
	if len(missing) != 1 || missing[0].Key != "size" {
		t.Fatalf("missing = %+v", missing)
	}
}

func TestLoadOrEmpty(t *testing.T) {
	got, err := LoadOrEmpty(filepath.Join(t.TempDir(), "none.snap"))
	if err != nil || got != nil {
		t.Fatalf("LoadOrEmpty on missing file = %v, %v", got, err)
	}
}
