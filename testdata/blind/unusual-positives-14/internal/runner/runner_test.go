package runner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"testing"
)

type fakeJob struct {
	name string
	err  error
}

func (f fakeJob) Name() string              { return f.name }
func (f fakeJob) Run(context.Context) error { return f.err }

func TestDrainPrintsFinalSummary(t *testing.T) {
	r := New(log.New(io.Discard, "", 0), 0)
	q := make(chan Job, 2)
	q <- fakeJob{name: "a"}
	q <- fakeJob{name: "b", err: errors.New("nope")}
	close(q)
	var buf bytes.Buffer
	if err := r.Drain(context.Background(), &buf, q); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "1 ok, 1 failed") {
		t.Fatalf("summary = %q", buf.String())
	}
}

func TestRunExclusiveRejectsSecondHolder(t *testing.T) {
	r := New(log.New(io.Discard, "", 0), 0)
	lease, err := r.leases.Acquire("x")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunExclusive(context.Background(), fakeJob{name: "x"}); !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("RunExclusive = %v, want ErrLeaseHeld", err)
	}
	if err := lease.Release(); err != nil {
		t.Fatal(err)
	}
	if err := r.RunExclusive(context.Background(), fakeJob{name: "x"}); err != nil {
		t.Fatalf("RunExclusive after release = %v", err)
	}
}

func TestRunOneBalancesGauge(t *testing.T) {
	r := New(log.New(io.Discard, "", 0), 0)
	if err := r.RunOne(context.Background(), fakeJob{name: "j"}); err != nil {
		t.Fatal(err)
	}
	if n := r.inflight.Value(); n != 0 {
		t.Fatalf("in flight = %d, want 0", n)
	}
}
