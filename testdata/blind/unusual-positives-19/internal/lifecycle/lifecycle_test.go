package lifecycle

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestApplyTxUndoesInReverse(t *testing.T) {
	var undone []string
	steps := []Step{
		{Name: "a", Run: func(context.Context) error { return nil }, Undo: func() { undone = append(undone, "a") }},
		{Name: "b", Run: func(context.Context) error { return nil }, Undo: func() { undone = append(undone, "b") }},
		{Name: "c", Run: func(context.Context) error { return errors.New("fail") }},
	}
	r := NewRunner("test", steps)
	if err := r.ApplyTx(context.Background()); err == nil {
		t.Fatal("ApplyTx succeeded")
	}
	if strings.Join(undone, ",") != "b,a" {
		t.Fatalf("undone = %v", undone)
	}
}

func TestCommitJournaledRecordsFailure(t *testing.T) {
	var buf bytes.Buffer
	r := NewRunner("test", []Step{{Name: "x", Run: func(context.Context) error { return errors.New("nope") }}})
	if err := r.CommitJournaled(context.Background(), NewJournal(&buf)); err == nil {
		t.Fatal("commit succeeded")
	}
	if !strings.Contains(buf.String(), "error:") {
		t.Fatalf("journal = %q", buf.String())
	}
}

func TestUseCheckedUnknownKind(t *testing.T) {
	reg := NewRegistry()
	if err := reg.UseChecked("socket", func() error { return nil }); err == nil {
		t.Fatal("unknown kind accepted")
	}
}
