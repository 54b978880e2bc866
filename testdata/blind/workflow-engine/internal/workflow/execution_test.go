package workflow

import (
	"encoding/json"
	"testing"
	"time"

	"example.com/wfengine/internal/history"
)

func ev(seq uint64, kind history.EventKind, payload string) history.Event {
	e := history.Event{Seq: seq, WorkflowID: "wf-1", Kind: kind, Time: time.Unix(int64(seq), 0)}
	if payload != "" {
		e.Payload = json.RawMessage(payload)
	}
	return e
}

func TestReplayLifecycle(t *testing.T) {
	execs, err := Replay([]history.Event{
		ev(1, history.WorkflowStarted, `{"workflow":"order"}`),
		ev(2, history.ActivityScheduled, ""),
		ev(3, history.ActivityFailed, ""),
		ev(4, history.ActivityScheduled, ""),
		ev(5, history.ActivityCompleted, ""),
		ev(6, history.WorkflowCompleted, `{"ok":true}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	ex := execs["wf-1"]
	if ex.Status != StatusCompleted || ex.Pending != 0 || ex.Failures != 1 || ex.LastSeq != 6 {
		t.Fatalf("unexpected state %+v", ex)
	}
}

func TestApplyRejectsEventsAfterClose(t *testing.T) {
	ex := &Execution{ID: "wf-1"}
	for _, e := range []history.Event{
		ev(1, history.WorkflowStarted, `{"workflow":"order"}`),
		ev(2, history.WorkflowCanceled, ""),
	} {
		if err := ex.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := ex.Apply(ev(3, history.ActivityCompleted, "")); err == nil {
		t.Fatal("event after close was accepted")
	}
}
