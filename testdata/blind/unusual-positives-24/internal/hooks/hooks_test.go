package hooks

import (
	"errors"
	"strings"
	"testing"
)

func TestRunAllStopsAtFirstError(t *testing.T) {
	p := NewPipeline(t.TempDir())
	p.logf = t.Logf
	var order []string
	boom := errors.New("boom")
	stages := []Stage{
		{Name: "a", Run: func() error { order = append(order, "a"); return nil }},
		{Name: "b", Run: func() error { order = append(order, "b"); return boom },
			Teardown: func() { order = append(order, "b-teardown") }},
		{Name: "c", Run: func() error { order = append(order, "c"); return nil }},
	}
	err := p.RunAll(stages)
	if !errors.Is(err, boom) {
		t.Fatalf("RunAll error = %v, want %v", err, boom)
	}
	if got := strings.Join(order, ","); got != "a,b,b-teardown" {
		t.Fatalf("order = %s", got)
	}
}

func TestTryConvertsPanic(t *testing.T) {
	w := NewWorker("test")
	w.logf = t.Logf
	err := w.Try(JobFunc(func() { panic("bad input") }))
	if err == nil || !strings.Contains(err.Error(), "bad input") {
		t.Fatalf("Try error = %v", err)
	}
}
