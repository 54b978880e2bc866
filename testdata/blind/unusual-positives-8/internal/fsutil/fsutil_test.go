package fsutil

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteAtomicThenReadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "lines.txt")
	if err := WriteAtomic(path, []byte("a\nb\nc\n")); err != nil {
		t.Fatalf("WriteAtomic: %v", err)
	}
	got, err := ReadLines(path)
	if err != nil {
		t.Fatalf("ReadLines: %v", err)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("ReadLines = %q, want %q", got, want)
	}
}

func TestReadLinesMissing(t *testing.T) {
	if _, err := ReadLines(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("ReadLines of a missing file succeeded")
	}
}
