package recordio

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var testDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "recordio-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var sample = []Record{
	{Key: "alpha", Value: []byte("1")},
	{Key: "beta", Value: []byte{}},
	{Key: "gamma", Value: []byte("three")},
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.rec")
	if err := WriteFileAtomic(path, sample); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Fatalf("ReadFile = %v, want %v", got, sample)
	}
}

// readGzip decodes a file written by WriteGzip.
func readGzip(t *testing.T, path string) []Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	var recs []Record
	for {
		r, err := Decode(br)
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
}

func TestWriteGzip(t *testing.T) {
	path := filepath.Join(testDir, "x.rec.gz")
	if err := WriteGzip(path, sample); err != nil {
		t.Fatal(err)
	}
	if got := readGzip(t, path); !reflect.DeepEqual(got, sample) {
		t.Fatalf("got %v, want %v", got, sample)
	}
}

func TestChecksums(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, r := range sample {
		p := filepath.Join(dir, fmt.Sprintf("%d.rec", i))
		if err := WriteFile(p, []Record{r}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sums, err := Checksums(paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(paths) {
		t.Fatalf("got %d sums, want %d", len(sums), len(paths))
	}
}
