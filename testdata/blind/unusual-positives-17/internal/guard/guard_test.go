package guard

import (
	"bytes"
	"log"
	"slices"
	"strings"
	"testing"
)

func newTestGuard(t *testing.T) (*Guard[int], *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	return New("test", log.New(&buf, "", 0), -1), &buf
}

func TestRunConvertsPanic(t *testing.T) {
	g, logs := newTestGuard(t)
	v, err := g.Run(func() (int, error) { panic("boom") })
	if err == nil || v != -1 {
		t.Fatalf("Run = %d, %v; want -1 and an error", v, err)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("log %q does not mention the panic", logs.String())
	}
}

func TestCallViaMethodValue(t *testing.T) {
	g, _ := newTestGuard(t)
	v, err := g.Call(func() int { panic("boom") })
	if err == nil || v != -1 || g.Panics() != 1 {
		t.Fatalf("Call = %d, %v (panics %d); want -1, error, 1", v, err, g.Panics())
	}
}

func TestEachLoggedCountsFailures(t *testing.T) {
	var buf bytes.Buffer
	items := slices.Values([]int{1, 2, 3, 4})
	failed := EachLogged(log.New(&buf, "", 0), items, func(v int) {
		if v%2 == 0 {
			panic("even")
		}
	})
	if failed != 2 {
		t.Fatalf("EachLogged failed = %d, want 2", failed)
	}
}
