package blob

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestApplyPutThenStat(t *testing.T) {
	ix := NewIndex(1 << 20)
	now := time.Now()
	if err := ix.Apply(Op{Kind: OpPut, Digest: "sha256:aa", Data: []byte("hello"), At: now}); err != nil {
		t.Fatalf("put: %v", err)
	}
	size, err := ix.Stat("sha256:aa", StatPeek)
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if size != 5 {
		t.Fatalf("size = %d, want 5", size)
	}
	if _, err := ix.Stat("sha256:bb", StatTouch); !errors.Is(err, ErrNotFound) {
		t.Fatalf("stat missing: err = %v, want ErrNotFound", err)
	}
}

func TestDrainClosesIndex(t *testing.T) {
	ix := NewIndex(1 << 20)
	if err := ix.Pin("missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pin missing: %v", err)
	}
	var buf bytes.Buffer
	if err := ix.Drain(&buf); err != nil {
		t.Fatalf("drain: %v", err)
	}
	if err := ix.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second close: err = %v, want ErrClosed", err)
	}
}

func TestShardedPutAndSweep(t *testing.T) {
	s := NewSharded(4, 1<<10)
	old := time.Now().Add(-time.Hour)
	for _, d := range []string{"a", "b", "c"} {
		if err := s.Put(&Entry{Digest: d, Size: 10, Touched: old}); err != nil {
			t.Fatalf("put %s: %v", d, err)
		}
	}
	if freed := s.SweepIdle(time.Now()); freed != 30 {
		t.Fatalf("freed = %d, want 30", freed)
	}
	if got := s.Usage(); len(got) != 0 {
		t.Fatalf("usage after sweep = %v, want empty", got)
	}
}

func TestDescribeMissing(t *testing.T) {
	ix := NewIndex(10)
	if got := ix.Describe("x"); !strings.Contains(got, "missing") {
		t.Fatalf("Describe = %q", got)
	}
}
