package fsstore

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestPutGet(t *testing.T) {
	s := newStore(t)
	if err := s.Put("a", []byte("hello\nworld\n")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get("a")
	if err != nil || string(got) != "hello\nworld\n" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if _, err := s.Get("missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

func TestNamesSkipsTemp(t *testing.T) {
	s := newStore(t)
	for _, n := range []string{"b", "a", "c"} {
		if err := s.Put(n, []byte(n)); err != nil {
			t.Fatal(err)
		}
	}
	got := slices.Collect(s.Names())
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("Names = %v", got)
	}
}

func TestRootConfinement(t *testing.T) {
	s := newStore(t)
	if err := s.Put("../../escape", []byte("x")); err == nil {
		t.Fatal("expected os.Root to reject an escaping name")
	}
}

func TestCSVRoundTrip(t *testing.T) {
	src := newStore(t)
	for i, n := range []string{"x", "y"} {
		if err := src.Put(n, []byte{byte('0' + i)}); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "out.csv")
	if err := src.ExportCSVChecked(dst); err != nil {
		t.Fatal(err)
	}
	n, err := CountCSV(dst)
	if err != nil || n != 2 {
		t.Fatalf("CountCSV = %d, %v", n, err)
	}
}

func TestJournal(t *testing.T) {
	s := newStore(t)
	if err := s.AppendJournalSync("one", "two"); err != nil {
		t.Fatal(err)
	}
	lines, err := s.Journal()
	if err != nil || len(lines) != 2 {
		t.Fatalf("Journal = %v, %v", lines, err)
	}
}

func TestSnapshotOrdered(t *testing.T) {
	s := newStore(t)
	rows := []Row{{Key: "a", Size: 1, Updated: time.Unix(0, 0)}}
	if err := s.WriteSnapshotOrdered("snap.jsonl", slices.Values(rows)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(s.root.Name(), "snap.jsonl"))
	if err != nil || fi.Size() == 0 {
		t.Fatalf("snapshot: %v, %v", fi, err)
	}
}

func BenchmarkChecksum(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Put("blob", make([]byte, 1<<16)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Checksum("blob"); err != nil {
			b.Fatal(err)
		}
	}
}
