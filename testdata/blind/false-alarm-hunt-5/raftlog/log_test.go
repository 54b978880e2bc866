package raftlog

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

func TestAppendAndSlice(t *testing.T) {
	l := NewLog(0, 0)
	for i := uint64(1); i <= 5; i++ {
		if _, err := l.Append(Entry{Index: i, Term: 1, Data: []byte{byte(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	ents, err := l.Slice(2, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 3 || ents[0].Index != 2 {
		t.Fatalf("Slice = %+v", ents)
	}
	if _, err := l.Append(Entry{Index: 9, Term: 1}); !errors.Is(err, ErrGap) {
		t.Fatalf("want ErrGap, got %v", err)
	}
}

func TestMaybeAppendTruncatesConflict(t *testing.T) {
	l := NewLog(0, 0)
	l.Append(Entry{Index: 1, Term: 1}, Entry{Index: 2, Term: 1}, Entry{Index: 3, Term: 1})
	last, ok := l.MaybeAppend(1, 1, 0, []Entry{{Index: 2, Term: 2}})
	if !ok || last != 2 {
		t.Fatalf("MaybeAppend = %d, %v", last, ok)
	}
	if got := l.LastIndex(); got != 2 {
		t.Fatalf("LastIndex = %d", got)
	}
}

func TestCommitBeyondLastPanicsWithoutLeakingLock(t *testing.T) {
	l := NewLog(0, 0)
	func() {
		defer func() {
			r := recover()
			if r == nil {
				t.Error("CommitTo beyond the end should panic")
				return
			}
			t.Logf("recovered as expected: %v", r)
		}()
		l.CommitTo(10)
	}()
	if got := l.Committed(); got != 0 {
		t.Fatalf("Committed = %d", got)
	}
}

func TestSegmentRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, segmentName(1))
	in := []Entry{{Index: 1, Term: 1, Data: []byte("a")}, {Index: 2, Term: 1, Data: []byte("bc")}}
	if err := WriteSegmentFile(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadSegment(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || !bytes.Equal(out[1].Data, []byte("bc")) {
		t.Fatalf("ReadSegment = %+v", out)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := Snapshot{Index: 7, Term: 3, Data: bytes.Repeat([]byte("state"), 100)}
	if err := SaveSnapshot(dir, want); err != nil {
		t.Fatal(err)
	}
	path, err := LatestSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Index != want.Index || !bytes.Equal(got.Data, want.Data) {
		t.Fatalf("snapshot mismatch: %d %d", got.Index, len(got.Data))
	}
}

func TestTrackerCommitted(t *testing.T) {
	tr := NewTracker([]uint64{1, 2, 3}, 1)
	tr.Update(1, 5)
	tr.Update(2, 4)
	if c := tr.Committed(); c != 4 {
		t.Fatalf("Committed = %d", c)
	}
}
