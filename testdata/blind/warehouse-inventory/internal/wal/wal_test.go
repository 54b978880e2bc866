package wal

import (
	"path/filepath"
	"testing"
)

func TestAppendReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stock.wal")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		seq, err := l.Append("receive", "AMS1", "SKU-1", i)
		if err != nil {
			t.Fatal(err)
		}
		if seq != uint64(i) {
			t.Fatalf("seq = %d, want %d", seq, i)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	total := 0
	n, err := Replay(path, func(r Record) error {
		total += r.Qty
		return nil
	})
	if err != nil || n != 3 || total != 6 {
		t.Fatalf("replay: n=%d total=%d err=%v", n, total, err)
	}
}

func TestReopenContinuesSequence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stock.wal")
	if err := AppendRaw(path, [][]byte{[]byte(`{"seq":41,"op":"receive","wh":"A","sku":"S","qty":1}`)}); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Seq(); got != 41 {
		t.Errorf("seq after reopen = %d, want 41", got)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}
