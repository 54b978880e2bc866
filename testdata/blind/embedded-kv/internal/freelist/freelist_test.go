package freelist

import (
	"reflect"
	"testing"

	"example.com/ekv/internal/page"
)

func TestReleaseAndAllocate(t *testing.T) {
	f := New()
	f.Free(5, 10)
	f.Free(5, 4)
	f.Free(6, 7)
	if got := f.Allocate(); got != 0 {
		t.Fatalf("allocated %d before release", got)
	}
	if n := f.Release(5); n != 2 {
		t.Fatalf("released %d, want 2", n)
	}
	if got := f.Allocate(); got != 4 {
		t.Fatalf("Allocate = %d, want 4", got)
	}
	if f.Count() != 2 {
		t.Fatalf("Count = %d, want 2", f.Count())
	}
}

func TestEncodeDecode(t *testing.T) {
	f := New()
	f.Free(1, 9)
	f.Free(1, 3)
	f.Release(1)
	f.Free(2, 6)
	buf := make([]byte, 512)
	if err := f.Encode(2, buf); err != nil {
		t.Fatal(err)
	}
	g, err := Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	if want := []page.ID{3, 6, 9}; !reflect.DeepEqual(g.IDs(), want) {
		t.Fatalf("ids = %v, want %v", g.IDs(), want)
	}
}

func TestRollbackReturnsTaken(t *testing.T) {
	f := New()
	f.Free(1, 8)
	f.Free(1, 9)
	f.Release(1)
	a := f.Allocate()
	f.Free(2, 12)
	f.Rollback(2, []page.ID{a})
	if f.Count() != 2 {
		t.Fatalf("Count = %d, want 2", f.Count())
	}
}
