package dedup

import (
	"path/filepath"
	"testing"
)

func TestAddLimitAndPersist(t *testing.T) {
	s := New(2)
	if !s.Add("https://a/") || s.Add("https://a/") {
		t.Fatal("Add did not report novelty correctly")
	}
	s.Add("https://b/")
	if s.Add("https://c/") {
		t.Fatal("set grew beyond its limit")
	}
	path := filepath.Join(t.TempDir(), "seen.bin")
	if err := s.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Len() != 2 || !loaded.Contains("https://b/") {
		t.Fatalf("loaded %d keys", loaded.Len())
	}
}

func BenchmarkAdd(b *testing.B) {
	s := New(0)
	for i := 0; i < b.N; i++ {
		s.Add("https://example.com/page/" + string(rune('a'+i%26)))
	}
}
