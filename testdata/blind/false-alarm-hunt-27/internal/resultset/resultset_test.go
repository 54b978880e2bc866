package resultset

import (
	"errors"
	"testing"
)

// fakeRows yields the integers in vals and panics at index panicAt.
type fakeRows struct {
	vals    []int64
	pos     int
	panicAt int
	closed  int
}

func (r *fakeRows) Next() bool {
	if r.pos >= len(r.vals) {
		return false
	}
	if r.pos == r.panicAt {
		panic("wire: corrupted frame")
	}
	r.pos++
	return true
}

func (r *fakeRows) Scan(dest ...any) error {
	p, ok := dest[0].(*int64)
	if !ok {
		return errors.New("fakeRows: want *int64")
	}
	*p = r.vals[r.pos-1]
	return nil
}

func (r *fakeRows) Err() error { return nil }

func (r *fakeRows) Close() error {
	r.closed++
	return nil
}

func TestCollect(t *testing.T) {
	rows := &fakeRows{vals: []int64{1, 2, 3}, panicAt: -1}
	got, err := Collect(New(rows, Int64s))
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if len(got) != 3 || got[2] != 3 {
		t.Fatalf("Collect = %v", got)
	}
	if rows.closed != 1 {
		t.Fatalf("rows closed %d times, want 1", rows.closed)
	}
}

func TestNextConvertsDriverPanic(t *testing.T) {
	rows := &fakeRows{vals: []int64{1, 2, 3}, panicAt: 1}
	got, err := Collect(New(rows, Int64s))
	if !errors.Is(err, ErrDriverPanic) {
		t.Fatalf("Collect err = %v, want ErrDriverPanic", err)
	}
	if len(got) != 1 {
		t.Fatalf("Collect = %v, want the row before the panic", got)
	}
}

func TestAllClosesOnBreak(t *testing.T) {
	rows := &fakeRows{vals: []int64{1, 2, 3}, panicAt: -1}
	for v, err := range All(New(rows, Int64s)) {
		if err != nil {
			t.Fatal(err)
		}
		if v == 2 {
			break
		}
	}
	if rows.closed != 1 {
		t.Fatalf("rows closed %d times after break, want 1", rows.closed)
	}
}
