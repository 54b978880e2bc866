package export

import (
	"bufio"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"example.com/up13/internal/catalog"
)

var sample = []catalog.Asset{
	{ID: "a1", Path: "/in/a1.mov", Size: 10, Tags: []string{"raw"}},
	{ID: "a2", Path: "/in/a2.mov", Size: 20, Tags: []string{"raw", "final"}},
}

func TestWriteBundleOrderedGzip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bundle.gz")
	if err := WriteBundleOrdered(p, FormatGzip, sample); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	n := 0
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(sample) {
		t.Fatalf("bundle has %d lines, want %d", n, len(sample))
	}
}

func TestWriteCSVAndReport(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"assets.csv", "report.txt"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			var err error
			if filepath.Ext(name) == ".csv" {
				err = WriteCSV(p, sample)
			} else {
				err = WriteReport(p, sample)
			}
			if err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
				t.Fatalf("%s missing or empty: %v", p, err)
			}
		})
	}
}
