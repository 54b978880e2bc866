package workflow

import (
	"context"
	"errors"
	"io"
	"log"
	"path/filepath"
	"testing"
	"time"
)

type nopAuditor struct{}

func (nopAuditor) Record(string, error) {}

func newTestEngine(t *testing.T) *Engine {
	t.Helper()
	j, err := OpenJournal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := j.Close(); err != nil {
			t.Errorf("close journal: %v", err)
		}
	})
	return NewEngine(j, nopAuditor{}, log.New(io.Discard, "", 0))
}

func TestMachineFire(t *testing.T) {
	m := NewMachine(StatePending, DefaultTable)
	entered := 0
	m.OnEnter(StateQueued, func(State) { entered++ })
	if err := m.Fire(EventQueue); err != nil {
		t.Fatal(err)
	}
	if err := m.Fire(EventFinish); !errors.Is(err, ErrTransition) {
		t.Fatalf("err = %v, want ErrTransition", err)
	}
	if entered != 1 || m.State() != StateQueued {
		t.Fatalf("entered=%d state=%s", entered, m.State())
	}
}

func TestFireAllSkipsInvalid(t *testing.T) {
	m := NewMachine(StatePending, DefaultTable)
	if n := m.FireAll([]Event{EventFinish, EventQueue, EventStart}); n != 2 {
		t.Fatalf("applied %d, want 2", n)
	}
}

func TestRunParallel(t *testing.T) {
	e := newTestEngine(t)
	for _, name := range []string{"a", "b", "c"} {
		e.RegisterStep(name, func(context.Context, *Run) error { return nil }, nil)
	}
	r, err := e.Start(&Workflow{Name: "wf", Steps: []string{"a", "b", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := e.RunParallel(ctx, r, r.WF.Steps); err != nil {
		t.Fatal(err)
	}
	if len(r.Done) != 3 {
		t.Fatalf("done = %v", r.Done)
	}
}

func TestJournalRoundTrip(t *testing.T) {
	e := newTestEngine(t)
	if err := e.journal.AppendSynced("r1", Record{Kind: "start", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	recs, err := e.journal.Records("r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Kind != "start" {
		t.Fatalf("records = %+v", recs)
	}
	out := filepath.Join(t.TempDir(), "export.jsonl")
	if err := e.journal.ExportTo(out, recs); err != nil {
		t.Fatal(err)
	}
}
