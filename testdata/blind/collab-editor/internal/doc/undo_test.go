package doc

import (
	"testing"

	"example.com/collab/internal/ot"
)

func TestUndoRingWraps(t *testing.T) {
	r := NewUndoRing(3)
	for i := 0; i < 5; i++ {
		r.Push(ot.Op{Kind: ot.Insert, Pos: i, Text: "x"})
	}
	if r.Len() != 3 {
		t.Fatalf("Len = %d, want 3", r.Len())
	}
	for want := 4; want >= 2; want-- {
		op, ok := r.Pop()
		if !ok || op.Pos != want {
			t.Fatalf("Pop = %+v, %v; want pos %d", op, ok, want)
		}
	}
	if _, ok := r.Pop(); ok {
		t.Fatal("Pop on empty ring succeeded")
	}
}

func TestSubmitRecordsUndo(t *testing.T) {
	d := New("d1", "notes", "hello", 8)
	if _, err := d.Submit(ot.Op{Kind: ot.Insert, Pos: 5, Text: " world", Client: "alice"}); err != nil {
		t.Fatal(err)
	}
	if got := d.UndoDepth("alice"); got != 1 {
		t.Fatalf("UndoDepth = %d, want 1", got)
	}
	if _, err := d.Undo("alice"); err != nil {
		t.Fatal(err)
	}
	if got := d.Text(); got != "hello" {
		t.Fatalf("Text after undo = %q", got)
	}
}
