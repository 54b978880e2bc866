package iterx

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLinesStopsEarly(t *testing.T) {
	p := writeFile(t, t.TempDir(), "a.txt", "one\ntwo\nthree\n")
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
	if !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("got %q", got)
	}
}

func TestOpenClosesEachFile(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeFile(t, dir, "a.go", "package a\n"),
		writeFile(t, dir, "b.go", "package b\n"),
	}
	var seen []*os.File
	for f, err := range Open(paths) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, f)
	}
	for _, f := range seen {
		if _, err := f.Stat(); err == nil {
			t.Errorf("%s still open after the loop", f.Name())
		}
	}
}

func TestLockedReleasesOnBreak(t *testing.T) {
	var mu sync.Mutex
	for i := range Locked(&mu, []int{1, 2, 3}) {
		if i == 1 {
			break
		}
	}
	if !mu.TryLock() {
		t.Fatal("mutex still held after break")
	}
	mu.Unlock()
}

func TestChunks(t *testing.T) {
	var sizes []int
	for c := range Chunks([]int{1, 2, 3, 4, 5}, 2) {
		sizes = append(sizes, len(c))
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Fatalf("sizes %v", sizes)
	}
}
