package logx

import (
	"bytes"
	"strings"
	"testing"
)

func TestInfofWritesFields(t *testing.T) {
	var buf bytes.Buffer
	lg := New(&buf, "", false)
	lg.With("node", "a1").Infof("hello %d", 7)
	if !strings.Contains(buf.String(), "node=a1 hello 7") {
		t.Fatalf("unexpected output %q", buf.String())
	}
}

func TestDebugfSilentByDefault(t *testing.T) {
	var buf bytes.Buffer
	lg := New(&buf, "", false)
	lg.Debugf("nothing")
	if buf.Len() != 0 {
		t.Fatalf("debug line written: %q", buf.String())
	}
	lg.SetDebug(true)
	lg.Debugf("something")
	if lg.Lines() != 1 {
		t.Fatalf("lines = %d", lg.Lines())
	}
}

func TestTimerStop(t *testing.T) {
	var buf bytes.Buffer
	lg := New(&buf, "", false)
	end := Trace("TestTimerStop")
	tm := StartTimer(lg, "op")
	if d := tm.Stop(); d < 0 {
		t.Fatalf("negative duration %v", d)
	}
	end()
	if !strings.Contains(buf.String(), "op took") {
		t.Fatalf("unexpected output %q", buf.String())
	}
}
