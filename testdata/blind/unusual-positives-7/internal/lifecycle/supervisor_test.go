package lifecycle

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

func quiet() *log.Logger { return log.New(io.Discard, "", 0) }

func TestReplaceRollsBack(t *testing.T) {
	ok := &Component{Name: "a", Run: func(context.Context) error { return nil }}
	s := NewSupervisor(NewTracer(quiet(), time.Hour), quiet(), ok)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Replace(ctx, "a", &Component{Name: "a", Run: func(context.Context) error { return nil }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if s.components[0] != ok {
		t.Fatal("replace did not roll back")
	}
}

func TestStartGuardedWithoutHooks(t *testing.T) {
	c := &Component{Name: "bare", Run: func(context.Context) error { return io.EOF }}
	if err := c.StartGuarded(context.Background()); !errors.Is(err, io.EOF) {
		t.Fatalf("got %v", err)
	}
}
