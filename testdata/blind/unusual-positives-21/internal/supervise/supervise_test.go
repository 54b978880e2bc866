package supervise

import (
	"bytes"
	"log"
	"strings"
	"testing"
)

func TestProtectedTurnsPanicIntoError(t *testing.T) {
	err := Protected("job", func() error { panic("bad input") })
	if err == nil || !strings.Contains(err.Error(), "bad input") {
		t.Fatalf("err = %v", err)
	}
}

func TestSupervisorDoRecovers(t *testing.T) {
	var buf bytes.Buffer
	s := New("test", log.New(&buf, "", 0))
	s.Do(func() { panic("oops") })
	if s.Panics() != 1 || !strings.Contains(buf.String(), "oops") {
		t.Fatalf("panics = %d, log = %q", s.Panics(), buf.String())
	}
}

func TestCountingSinkKeepsFeeding(t *testing.T) {
	var got []string
	c := NewCountingSink(log.New(&bytes.Buffer{}, "", 0),
		func(string) { panic("observer bug") },
		func(ev string) { got = append(got, ev) },
	)
	c.Emit("e1")
	if len(got) != 1 || c.failed.Load() != 1 {
		t.Fatalf("got = %v, failed = %d", got, c.failed.Load())
	}
}
