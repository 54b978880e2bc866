package circuit

import (
	"errors"
	"testing"
	"time"
)

func TestClosedBreakerPassesCalls(t *testing.T) {
	b := New("up", 2, time.Minute, nil)
	calls := 0
	for i := 0; i < 3; i++ {
		if err := b.Do(func() error { calls++; return nil }); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if calls != 3 || b.State() != Closed {
		t.Fatalf("calls = %d, state = %s", calls, b.State())
	}
	if err := b.Do(func() error { return errTest }); !errors.Is(err, errTest) {
		t.Fatalf("err = %v", err)
	}
}

var errTest = errors.New("boom")

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Closed: "closed", Open: "open", HalfOpen: "half-open", State(9): "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", s, got, want)
		}
	}
}
