package dispatch

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestDecodeFrame(t *testing.T) {
	cmds, err := decodeFrame([]byte(`[{"id":"1","device":"t1","op":"get","args":{"key":"rate"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != 1 || cmds[0].Args["key"] != "rate" {
		t.Fatalf("cmds = %+v", cmds)
	}
	if _, err := decodeFrame([]byte(`[{"device":"t1"}]`)); err == nil {
		t.Fatal("command without id accepted")
	}
}

func TestWithDeadlineDefault(t *testing.T) {
	ctx, cancel := withDeadline(context.Background(), time.Time{})
	defer cancel()
	dl, ok := ctx.Deadline()
	if !ok || time.Until(dl) > 31*time.Second {
		t.Fatalf("deadline = %v, %v", dl, ok)
	}
}

func TestInvokeRecoversPanic(t *testing.T) {
	h := func(ctx context.Context, c Command) (string, error) {
		var m map[string]int
		m[c.ID]++
		return "", nil
	}
	_, err := invoke(context.Background(), h, Command{ID: "x", Op: "boom"})
	if err == nil {
		t.Fatal("panic not turned into an error")
	}
}

func TestAuditAppend(t *testing.T) {
	a, err := OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Append(Command{ID: "1", Op: "get"}, Result{ID: "1", OK: true}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	var nilLog *AuditLog
	if err := nilLog.Append(Command{}, Result{}); err != nil {
		t.Fatal(err)
	}
}
