package segment

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var fixture string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "segment-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixture = filepath.Join(dir, "fixture.seg")
	if err := WriteAllChecked(fixture, [][]byte{[]byte("alpha"), []byte("beta")}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.Remove(dir)
	defer os.Remove(fixture)
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func TestReadAllFixture(t *testing.T) {
	recs, err := ReadAll(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || string(recs[1]) != "beta" {
		t.Fatalf("got %q", recs)
	}
}

func TestCountAll(t *testing.T) {
	n, err := CountAll([]string{fixture, fixture})
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Fatalf("got %d", n)
	}
}

func TestArchiveTo(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "a.gz")
	if err := ArchiveTo(dst, []string{fixture}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("archive unreadable: %v", err)
	}
	want, _ := os.ReadFile(fixture)
	if string(data) != string(want) {
		t.Fatal("archive content differs")
	}
}

func TestSaveAtomicRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.json")
	ix := &Index{Entries: map[string]Location{"k": {Segment: "s1", Record: 3}}}
	if err := ix.SaveAtomic(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Entries["k"].Record != 3 {
		t.Fatalf("got %+v", got)
	}
}
