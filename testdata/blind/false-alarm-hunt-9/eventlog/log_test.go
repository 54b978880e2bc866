package eventlog_test

import (
	"path/filepath"
	"testing"

	"example.com/falsealarm9/eventlog"
)

func TestAppendAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	l, err := eventlog.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var seen int
	l.AddSink(func(eventlog.Event) { seen++ })
	for _, lvl := range []eventlog.Level{eventlog.LevelInfo, eventlog.LevelError, eventlog.LevelDebug} {
		if err := l.Append(eventlog.Event{Level: lvl, Msg: lvl.String()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	counts, err := eventlog.CountByLevel(path)
	if err != nil || seen != 3 || counts[eventlog.LevelError] != 1 {
		t.Fatalf("counts %v, seen %d, err %v", counts, seen, err)
	}
	for ev, err := range eventlog.ReadEvents(path) {
		if err != nil || ev.Level != eventlog.LevelInfo {
			t.Fatalf("first event %+v, %v", ev, err)
		}
		break
	}
}
