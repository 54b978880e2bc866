package breaker

import (
	"errors"
	"testing"
	"time"
)

func TestOpensAfterFailures(t *testing.T) {
	var changes []State
	b := New(Settings{MaxFailures: 2, OnStateChange: func(_ string, _, to State) {
		changes = append(changes, to)
	}})
	boom := errors.New("boom")
	for range 2 {
		if err := b.Execute(func() error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
	}
	if err := b.Execute(func() error { return nil }); !errors.Is(err, ErrOpen) {
		t.Fatalf("err = %v", err)
	}
	if len(changes) != 1 || changes[0] != Open {
		t.Fatalf("changes = %v", changes)
	}
}

func TestHalfOpenAfterTimeout(t *testing.T) {
	now := time.Unix(0, 0)
	b := New(Settings{MaxFailures: 1, OpenTimeout: time.Second})
	b.now = func() time.Time { return now }
	b.Trip()
	now = now.Add(2 * time.Second)
	if st := b.State(); st != HalfOpen {
		t.Fatalf("state = %v", st)
	}
}

// catch runs fn and returns the value it panicked with, if any.
func catch(fn func()) (r any) {
	defer func() { r = recover() }()
	fn()
	return nil
}

func TestExecuteRepanics(t *testing.T) {
	b := New(Settings{MaxFailures: 1})
	r := catch(func() { _ = b.Execute(func() error { panic("kaboom") }) })
	if r != "kaboom" {
		t.Fatalf("recovered %v", r)
	}
	if st := b.State(); st != Open {
		t.Fatalf("state = %v", st)
	}
}

func TestAllowTwoStep(t *testing.T) {
	b := New(Settings{})
	done, err := b.Allow()
	if err != nil {
		t.Fatal(err)
	}
	done(true)
	if c := b.Counts(); c.Successes != 1 {
		t.Fatalf("counts = %+v", c)
	}
}
