package agent

import (
	"errors"
	"testing"
)

func TestMetricsObserve(t *testing.T) {
	m := newMetrics()
	m.observe("publish", nil)
	m.observe("publish", errors.New("broker down"))
	m.observe("spool", nil)
	got := m.snapshot()
	if len(got) != 2 || got[0].Op != "publish" {
		t.Fatalf("snapshot = %+v", got)
	}
	if got[0].OK != 1 || got[0].Failed != 1 || got[0].LastError != "broker down" {
		t.Fatalf("publish = %+v", got[0])
	}
}

func TestTraceReturnsCleanup(t *testing.T) {
	done := trace("unit test")
	if done == nil {
		t.Fatal("trace returned nil")
	}
	done()
}

func TestWithHookRunsWithoutHook(t *testing.T) {
	a := &Agent{postHooks: map[string]func(){}}
	called := false
	if err := a.withHook("flush", func() error { called = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if !called {
		t.Fatal("fn not called")
	}
}
