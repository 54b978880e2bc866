package iterx

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestLinesStopsEarly(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in.txt")
	if err := os.WriteFile(p, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for line, err := range Lines(p) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
		if len(got) == 2 {
			break
		}
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("got %q", got)
	}
}

func TestBatch(t *testing.T) {
	var sizes []int
	for b := range Batch(slices.Values([]int{1, 2, 3, 4, 5}), 2) {
		sizes = append(sizes, len(b))
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Fatalf("batch sizes %v", sizes)
	}
}
