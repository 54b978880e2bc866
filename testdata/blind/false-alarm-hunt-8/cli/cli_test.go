package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"example.com/falsealarm8/testutil"
)

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	app := New(&stdout, &stderr)
	if code := app.Run(context.Background(), []string{"frobnicate"}); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "unknown command") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestCatSorted(t *testing.T) {
	path := testutil.WriteFile(t, "a.conf", "b = 2\na = 1\n")
	var stdout, stderr bytes.Buffer
	app := New(&stdout, &stderr)
	if code := app.Run(context.Background(), []string{"cat", path}); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	if got := stdout.String(); got != "a=1\nb=2\n" {
		t.Errorf("stdout = %q", got)
	}
}

func TestPanicBecomesError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	app := New(&stdout, &stderr)
	app.Register(&Command{Name: "boom", Run: func(context.Context, *Env, []string) error { panic("kaboom") }})
	if code := app.Run(context.Background(), []string{"boom"}); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "internal error: kaboom") {
		t.Errorf("stderr = %q", stderr.String())
	}
}
