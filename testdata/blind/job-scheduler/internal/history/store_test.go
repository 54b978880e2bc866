package history

import (
	"compress/gzip"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/jobscheduler/internal/job"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func result(id string, finished time.Time) job.Result {
	return job.Result{JobID: id, Attempt: 1, Started: finished.Add(-time.Second), Finished: finished}
}

func TestAppendAndRead(t *testing.T) {
	s := newTestStore(t)
	day := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, id := range []string{"a", "b", "a"} {
		if err := s.Append(result(id, day)); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := s.ReadDay(day)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[2].Seq != 3 {
		t.Fatalf("records = %+v", recs)
	}
	last, err := s.Last("a", 1)
	if err != nil || len(last) != 1 || last[0].Seq != 3 {
		t.Fatalf("Last = %+v, %v", last, err)
	}
}

func TestReopenRestoresSequence(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := Open(dir, log)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := s.AppendBatch([]job.Result{result("x", now), result("y", now)}); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, log)
	if err != nil {
		t.Fatal(err)
	}
	if s2.seq != 2 {
		t.Fatalf("restored seq = %d, want 2", s2.seq)
	}
}

func TestExportDay(t *testing.T) {
	s := newTestStore(t)
	day := time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC)
	if err := s.Append(result("a", day)); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export.jsonl.gz")
	if err := s.ExportDay(day, out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := decodeAll(zr)
	if err != nil || len(recs) != 1 {
		t.Fatalf("decoded %d records, err %v", len(recs), err)
	}
}

func TestPrune(t *testing.T) {
	s := newTestStore(t)
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Append(result("a", old)); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(result("a", time.Now())); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(time.Now().AddDate(0, 0, -7))
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}
