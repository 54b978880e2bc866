package worker

import (
	"errors"
	"io"
	"log"
	"testing"
)

func quietPool(t *testing.T, handle func(Task) error) *Pool {
	t.Helper()
	p := NewPool(2, 4, log.New(io.Discard, "", 0), handle)
	t.Cleanup(p.Close)
	return p
}

func TestRunConvertsPanic(t *testing.T) {
	p := quietPool(t, func(t Task) error {
		if t.ID == "boom" {
			panic("handler exploded")
		}
		return nil
	})
	if err := p.run(Task{ID: "boom"}); err == nil {
		t.Fatal("expected error from panicking handler")
	}
	if err := p.run(Task{ID: "fine"}); err != nil {
		t.Fatal(err)
	}
	if done, panics, _ := p.Counts(); done != 2 || panics != 1 {
		t.Fatalf("Counts = %d, %d", done, panics)
	}
}

func TestFanoutSafeJoinsErrors(t *testing.T) {
	p := quietPool(t, func(t Task) error {
		if t.Kind == KindNoop {
			return errors.New("noop rejected")
		}
		return nil
	})
	err := p.FanoutSafe([]Task{{ID: "a", Kind: KindFetch}, {ID: "b", Kind: KindNoop}})
	if err == nil {
		t.Fatal("expected joined error")
	}
}

func TestDispatchCheckedNoop(t *testing.T) {
	d := NewDispatcher(1, 1, map[Kind]func(Task) error{
		KindNoop: func(Task) error { return nil },
	})
	if err := d.DispatchChecked(Task{Kind: KindNoop}); err != nil {
		t.Fatal(err)
	}
}

func TestLoadTasksGuarded(t *testing.T) {
	good := append([]byte("0123456789abcdef"), 0, 1, 'x')
	ts, errs := LoadTasksGuarded([][]byte{good, []byte("short")})
	if len(ts) != 1 || len(errs) != 1 || ts[0].Kind != KindIndex {
		t.Fatalf("tasks %v, errs %v", ts, errs)
	}
}
