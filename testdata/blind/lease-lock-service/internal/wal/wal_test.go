package wal

import (
	"os"
	"path/filepath"
	"testing"
)

func openTestLog(t *testing.T, opts Options) *Log {
	t.Helper()
	l, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func TestAppendAndReopen(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if _, err := l.Append(Record{Type: TypeGrant, Lease: int64(i + 1), TTLMillis: 5000}); err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if got := l2.LastIndex(); got != 10 {
		t.Fatalf("LastIndex after reopen = %d, want 10", got)
	}
}

func TestRotateAndCompact(t *testing.T) {
	l := openTestLog(t, Options{SegmentBytes: 200})
	for i := 0; i < 40; i++ {
		if _, err := l.Append(Record{Type: TypeAcquire, Lease: 7, Key: "jobs/nightly"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	removed, err := l.Compact(20)
	if err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if removed == 0 {
		t.Fatal("Compact removed nothing")
	}
	err = ReplayFrom(l.Dir(), 0, func(r Record) error {
		if r.Index <= 20 && r.Index < l.firstIndex {
			t.Errorf("record %d survived compaction", r.Index)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTornTailIsIgnored(t *testing.T) {
	l := openTestLog(t, Options{SyncEveryAppend: true})
	for i := 0; i < 3; i++ {
		if _, err := l.Append(Record{Type: TypeKeepAlive, Lease: 1}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(l.Dir(), l.ActiveSegment())
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte{0, 0, 0, 40, 1, 2}); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := ReplayFrom(l.Dir(), 0, func(Record) error { n++; return nil }); err != nil {
		t.Fatalf("ReplayFrom: %v", err)
	}
	if n != 3 {
		t.Fatalf("replayed %d records, want 3", n)
	}
}
