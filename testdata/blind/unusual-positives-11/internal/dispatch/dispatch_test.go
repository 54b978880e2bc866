package dispatch

import (
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"testing"

	"example.com/up11/internal/metrics"
)

type capture map[string]int64

func (c capture) Publish(k string, v int64) { c[k] = v }

func newTestTable(cmds ...Command) *Table {
	return NewTable(metrics.NewTracer(metrics.NewMemRecorder()), log.New(io.Discard, "", 0), capture{}, cmds...)
}

func TestRunWithoutCleanup(t *testing.T) {
	tbl := newTestTable(Command{Name: "noop", Run: func(context.Context, []string) error { return nil }})
	if err := tbl.Run(context.Background(), "noop", nil); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Run(context.Background(), "missing", nil); !errors.Is(err, ErrUnknown) {
		t.Fatalf("err = %v", err)
	}
}

func TestExecGuardedConvertsPanic(t *testing.T) {
	tbl := newTestTable(Command{Name: "boom", Run: func(context.Context, []string) error { panic("boom") }})
	err := tbl.ExecGuarded(context.Background(), "boom", nil)
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("err = %v", err)
	}
}

func TestTryInline(t *testing.T) {
	_, err := TryInline(func() (int, error) { panic(errors.New("bad")) })
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("err = %v", err)
	}
}

func TestConvertAll(t *testing.T) {
	_, err := ConvertAll(func() int { panic(42) })
	if err == nil || !strings.Contains(err.Error(), "42") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunIsolated(t *testing.T) {
	tasks := []Task[int]{
		{ID: "ok", Fn: func(context.Context) (int, error) { return 1, nil }},
		{ID: "panics", Fn: func(context.Context) (int, error) { panic("x") }},
	}
	res, err := RunIsolated(context.Background(), tasks)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || !errors.Is(res[1].Err, ErrPanic) {
		t.Fatalf("res = %+v", res)
	}
}

func TestConsumeAll(t *testing.T) {
	var sb strings.Builder
	n, err := ConsumeAll(strings.NewReader("hello"), &sb)
	if err != nil || n != 5 || sb.String() != "hello" {
		t.Fatalf("n=%d err=%v out=%q", n, err, sb.String())
	}
}
