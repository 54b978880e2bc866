package checkpoint

import (
	"testing"

	"example.com/streamproc/internal/metrics"
)

func TestWriteThenLoadLatest(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, 2, metrics.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	for seq := 1; seq <= 3; seq++ {
		st := State{Group: "g", Seq: seq, Offsets: map[int]int64{0: int64(seq * 10)}}
		if err := w.Write(st); err != nil {
			t.Fatalf("write %d: %v", seq, err)
		}
	}
	if err := w.Prune(); err != nil {
		t.Fatal(err)
	}
	st, err := LoadLatest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 3 {
		t.Fatalf("latest seq = %d, want 3", st.Seq)
	}
}
