package deadletter

import (
	"context"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func sampleEntries(n int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		out[i] = Entry{
			JobID:    "job-" + string(rune('a'+i)),
			Tenant:   "acme",
			Kind:     "email",
			Attempts: 8,
			Error:    "550 mailbox unavailable",
			FailedAt: time.Date(2024, 5, 1, 10, i, 0, 0, time.UTC),
		}
	}
	return out
}

func TestAppendBatchThenReplay(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AppendBatch(sampleEntries(3)); err != nil {
		t.Fatal(err)
	}
	var got []string
	r := NewReplayer(dir, func(_ context.Context, e Entry) error {
		got = append(got, e.JobID)
		return nil
	}, nil, log.New(os.Stderr, "", 0))
	n, err := r.ReplayTenant(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 || len(got) != 3 || got[0] != "job-a" {
		t.Fatalf("replayed %d %v", n, got)
	}
}

func TestExportJSONIsReadable(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "dead.json")
	if err := ExportJSON(dst, sampleEntries(2)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if fi.Size() == 0 {
		t.Fatalf("%s is empty", dst)
	}
}

func TestTailKeepsNewest(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AppendBatch(sampleEntries(5)); err != nil {
		t.Fatal(err)
	}
	segs, err := Segments(dir)
	if err != nil || len(segs) != 1 {
		t.Fatalf("segments %v, %v", segs, err)
	}
	tail, err := Tail(segs[0], 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(tail) != 2 || tail[1].JobID != "job-e" {
		t.Fatalf("tail = %+v", tail)
	}
}
