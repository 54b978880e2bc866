package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestRunDispatches(t *testing.T) {
	app := NewApp("t")
	app.Stderr = io.Discard
	called := false
	app.Register(&Command{Name: "x", Run: func(*flag.FlagSet, []string) error {
		called = true
		return nil
	}})
	if code := app.Run([]string{"x"}); code != 0 || !called {
		t.Fatalf("code = %d called = %v", code, called)
	}
}

func TestCodes(t *testing.T) {
	cases := map[int]error{
		0: nil,
		1: errors.New("x"),
		2: ErrUsage,
		7: Exitf(7, "seven"),
	}
	for want, err := range cases {
		if got := Code(err); got != want {
			t.Errorf("Code(%v) = %d, want %d", err, got, want)
		}
	}
}

func TestConfirm(t *testing.T) {
	if !Confirm(strings.NewReader("yes\n"), io.Discard, "ok?") {
		t.Fatal("want yes")
	}
	if Confirm(strings.NewReader("\n"), io.Discard, "ok?") {
		t.Fatal("want no")
	}
}
