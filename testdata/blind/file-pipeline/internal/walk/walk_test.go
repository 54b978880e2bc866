package walk

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFilesMatching(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a.csv":     "x",
		"b.txt":     "y",
		"sub/c.csv": "z",
	})
	var got []string
	for p := range Paths(Matching(Files(root), "*.csv")) {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a.csv", "sub/c.csv"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestReadLinesStopsEarly(t *testing.T) {
	root := writeTree(t, map[string]string{"log": "one\ntwo\nthree\n"})
	var got []string
	for n, line := range ReadLines(filepath.Join(root, "log")) {
		got = append(got, fmt.Sprintf("%d:%s", n, line))
		if n == 2 {
			break
		}
	}
	if want := []string{"1:one", "2:two"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestChunk(t *testing.T) {
	seq := slices.Values([]string{"a", "b", "c", "d", "e"})
	var sizes []int
	for batch := range Chunk(seq, 2) {
		sizes = append(sizes, len(batch))
	}
	if want := []int{2, 2, 1}; !slices.Equal(sizes, want) {
		t.Fatalf("sizes = %v, want %v", sizes, want)
	}
}

func TestWalkerCounts(t *testing.T) {
	root := writeTree(t, map[string]string{"a": "12", ".hidden/b": "345", "c/d": "6"})
	w := NewWalker()
	st, err := w.Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 2 || st.Bytes != 3 || st.Skipped != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

func ExampleFirst() {
	fmt.Println(First(slices.Values([]string{"x", "y", "z"}), 2))
	// Output: [x y]
}
