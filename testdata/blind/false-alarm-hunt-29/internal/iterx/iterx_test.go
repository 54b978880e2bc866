package iterx

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var fixtureDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iterx")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fixtureDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func writeFixture(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(fixtureDir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBatch(t *testing.T) {
	var got [][]int
	for b := range Batch(slices.Values([]int{1, 2, 3, 4, 5}), 2) {
		got = append(got, b)
	}
	if len(got) != 3 || !slices.Equal(got[2], []int{5}) {
		t.Fatalf("Batch = %v", got)
	}
}

func TestZipStopsAtShorter(t *testing.T) {
	n := 0
	for range Zip(slices.Values([]int{1, 2, 3}), slices.Values([]string{"a"})) {
		n++
	}
	if n != 1 {
		t.Fatalf("Zip yielded %d pairs", n)
	}
}

func TestGrepFiles(t *testing.T) {
	a := writeFixture(t, "a.txt", "alpha\nbeta\n")
	b := writeFixture(t, "b.txt", "gamma\nalphabet\n")
	ms, err := GrepFiles(slices.Values([]string{a, b}), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[1].Line != 2 {
		t.Fatalf("matches = %+v", ms)
	}
}

func TestCountLines(t *testing.T) {
	a := writeFixture(t, "c.txt", "1\n2\n3\n")
	n, err := CountLines(slices.Values([]string{a, a}))
	if err != nil || n != 6 {
		t.Fatalf("CountLines = %d, %v", n, err)
	}
}
