package plugin

import (
	"context"
	"io"
	"log"
	"strings"
	"testing"
)

type panicStep struct{}

func (panicStep) Name() string                     { return "panic" }
func (panicStep) Run(context.Context, Input) error { panic("boom") }

func TestLoadConvertsFactoryPanic(t *testing.T) {
	l := NewLoader(log.New(io.Discard, "", 0))
	if err := l.Register("bad", func(map[string]string) (Step, error) { panic("factory boom") }); err != nil {
		t.Fatal(err)
	}
	_, err := l.Load("bad", nil)
	if err == nil || !strings.Contains(err.Error(), "factory boom") {
		t.Fatalf("Load error = %v, want the panic as an error", err)
	}
}

func TestWarmupRecoversPerGoroutine(t *testing.T) {
	l := NewLoader(log.New(io.Discard, "", 0))
	if err := l.Register("panic", func(map[string]string) (Step, error) { return panicStep{}, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load("panic", nil); err != nil {
		t.Fatal(err)
	}
	if err := l.Warmup(context.Background()); err == nil {
		t.Fatal("Warmup swallowed the plugin panic")
	}
}

func TestRegisterTwice(t *testing.T) {
	l := NewLoader(log.New(io.Discard, "", 0))
	f := func(map[string]string) (Step, error) { return panicStep{}, nil }
	if err := l.Register("x", f); err != nil {
		t.Fatal(err)
	}
	if err := l.Register("x", f); err == nil {
		t.Fatal("duplicate registration accepted")
	}
}
