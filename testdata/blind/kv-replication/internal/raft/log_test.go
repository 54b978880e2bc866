package raft

import (
	"testing"

	"example.com/kvreplication/internal/raftpb"
)

func entries(term raftpb.Term, n int) []raftpb.Entry {
	out := make([]raftpb.Entry, n)
	for i := range out {
		out[i] = raftpb.Entry{Term: term, Kind: raftpb.EntryNoop}
	}
	return out
}

func TestAppendAssignsIndexes(t *testing.T) {
	l := NewLog(0, 0)
	if got := l.Append(entries(1, 3)...); got != 3 {
		t.Fatalf("last index = %d, want 3", got)
	}
	if tm, ok := l.TermAt(2); !ok || tm != 1 {
		t.Fatalf("TermAt(2) = %d, %v", tm, ok)
	}
}

func TestSliceBounds(t *testing.T) {
	l := NewLog(0, 0)
	l.Append(entries(1, 5)...)
	cases := []struct {
		name   string
		lo, hi raftpb.Index
		want   int
	}{
		{"all", 1, 6, 5},
		{"clipped", 2, 100, 4},
		{"empty", 4, 4, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := l.Slice(tc.lo, tc.hi)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Fatalf("len = %d, want %d", len(got), tc.want)
			}
		})
	}
}

func TestWaitCommittedClosesOnCommit(t *testing.T) {
	l := NewLog(0, 0)
	l.Append(entries(1, 2)...)
	ch := l.WaitCommitted(2)
	select {
	case <-ch:
		t.Fatal("closed before commit")
	default:
	}
	if !l.SetCommit(2) {
		t.Fatal("SetCommit refused")
	}
	<-ch
}

func TestMatches(t *testing.T) {
	l := NewLog(10, 3)
	if !l.Matches(10, 3) {
		t.Fatal("sentinel should match")
	}
	if l.Matches(11, 3) {
		t.Fatal("beyond end should not match")
	}
}

func TestQuorumAck(t *testing.T) {
	l := NewLease(0)
	if l.Valid() {
		t.Fatal("zero lease is valid")
	}
	resume := l.Suspend()
	defer resume()
	if l.Remaining() != 0 {
		t.Fatal("remaining on expired lease")
	}
}
