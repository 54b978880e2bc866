package sink

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/streamproc/internal/record"
)

func newTestSink(t *testing.T) *FileSink {
	t.Helper()
	s := NewFileSink(t.TempDir(), "http://127.0.0.1:0/hook", 4)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close sink: %v", err)
		}
	})
	return s
}

func TestAppendSafeAndPaths(t *testing.T) {
	s := newTestSink(t)
	for i := range 10 {
		r := record.Record{Partition: i % 2, Offset: int64(i), Key: "k", Timestamp: time.Now()}
		if err := s.AppendSafe(r); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(s.Paths()); got != 2 {
		t.Fatalf("open segments = %d, want 2", got)
	}
}

func TestArchiveOrdered(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"a.jsonl", "b.jsonl"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	cases := []struct {
		name string
		dst  string
	}{
		{"first", filepath.Join(dir, "one.zip")},
		{"second", filepath.Join(dir, "two.zip")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := ArchiveSegmentsOrdered(tc.dst, files); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(tc.dst)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if fi.Size() == 0 {
				t.Fatal("empty archive")
			}
		})
	}
}

func TestWriteValidatedFirstRejects(t *testing.T) {
	s := newTestSink(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.WriteValidatedFirst(ctx, 0, []record.Record{{Partition: 0}})
	if err == nil {
		t.Fatal("want validation error for empty key")
	}
}
