package guard

import (
	"bytes"
	"context"
	"errors"
	"log"
	"strings"
	"testing"
)

func TestRunRecovers(t *testing.T) {
	var buf bytes.Buffer
	g := New("test", log.New(&buf, "", 0))
	g.Run(func() { panic("kaboom") })
	if g.Panics() != 1 {
		t.Fatalf("Panics = %d, want 1", g.Panics())
	}
	if !strings.Contains(buf.String(), "kaboom") {
		t.Fatalf("log = %q", buf.String())
	}
}

func TestWrapRecovers(t *testing.T) {
	var seen any
	g := New("test", log.New(&bytes.Buffer{}, "", 0))
	g.OnPanic = func(v any) { seen = v }
	g.Wrap(func() { panic("later") })()
	if seen != "later" {
		t.Fatalf("OnPanic saw %v", seen)
	}
}

func TestServeLoggedReturnsError(t *testing.T) {
	g := New("test", log.New(&bytes.Buffer{}, "", 0))
	err := g.ServeLogged(func() error { panic("x") })
	if !errors.Is(err, ErrPanicked) {
		t.Fatalf("ServeLogged = %v", err)
	}
}

func TestSuperviseSafeReturnsResult(t *testing.T) {
	g := New("test", log.New(&bytes.Buffer{}, "", 0))
	want := errors.New("done")
	got := g.SuperviseSafe(context.Background(), func(context.Context) error { return want }, func() {})
	if !errors.Is(got, want) {
		t.Fatalf("SuperviseSafe = %v", got)
	}
}

func TestTrackLogged(t *testing.T) {
	g := New("test", log.New(&bytes.Buffer{}, "", 0))
	g.TrackLogged(func() { panic("tracked") })
	if g.Last() != "tracked" {
		t.Fatalf("Last = %v", g.Last())
	}
}

func TestFanoutSafe(t *testing.T) {
	g := New("test", log.New(&bytes.Buffer{}, "", 0))
	g.FanoutSafe(func() {}, func() { panic("one") })
	if g.Panics() != 1 {
		t.Fatalf("Panics = %d", g.Panics())
	}
}
