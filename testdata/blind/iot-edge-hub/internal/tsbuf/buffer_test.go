package tsbuf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testPoints(n int) []Point {
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{Series: "t1.temp", Value: float64(i), At: base.Add(time.Duration(i) * time.Second)}
	}
	return pts
}

func TestAddReportsFull(t *testing.T) {
	b := New(t.TempDir(), 3)
	for i, p := range testPoints(3) {
		full := b.Add(p)
		if want := i == 2; full != want {
			t.Fatalf("Add #%d full = %v, want %v", i, full, want)
		}
	}
}

func TestFlushWritesSegment(t *testing.T) {
	dir := t.TempDir()
	b := New(dir, 10)
	for _, p := range testPoints(5) {
		b.Add(p)
	}
	path, err := b.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir {
		t.Fatalf("segment %s not in %s", path, dir)
	}
	n, err := CountPoints([]string{path})
	if err != nil || n != 5 {
		t.Fatalf("CountPoints = %d, %v", n, err)
	}
	if b.Len() != 0 {
		t.Fatalf("pending after flush = %d", b.Len())
	}
}

func TestArchiveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "seg-000001.jsonl")
	if err := writeSegment(src, testPoints(4)); err != nil {
		t.Fatal(err)
	}
	if err := ArchiveSegment(src, src+".gz"); err != nil {
		t.Fatal(err)
	}
	pts, err := ReadArchive(src + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 || pts[3].Value != 3 {
		t.Fatalf("points = %+v", pts)
	}
}

func TestExportCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := ExportCSV(path, testPoints(2)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(data), "\n"); lines != 3 {
		t.Fatalf("csv has %d lines, want 3", lines)
	}
}
