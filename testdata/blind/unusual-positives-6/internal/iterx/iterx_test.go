package iterx

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestFileLinesStopsEarly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lines.txt")
	if err := os.WriteFile(path, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for line, err := range FileLines(path) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
		if len(got) == 2 {
			break
		}
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("got %v", got)
	}
}

func TestChunkAndFilter(t *testing.T) {
	evens := Filter(slices.Values([]int{1, 2, 3, 4, 5, 6, 8}), func(v int) bool { return v%2 == 0 })
	var sizes []int
	for c := range Chunk(evens, 3) {
		sizes = append(sizes, len(c))
	}
	if !slices.Equal(sizes, []int{3, 1}) {
		t.Fatalf("chunk sizes = %v", sizes)
	}
}
