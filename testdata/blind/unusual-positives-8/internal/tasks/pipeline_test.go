package tasks

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/up8/internal/trace"
)

func newTestPipeline(t *testing.T) (*Pipeline, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	return New("test", nil, trace.Nop{}, log.New(&buf, "", 0)), &buf
}

func TestRunWithCompensationUndoesCompleted(t *testing.T) {
	p, _ := newTestPipeline(t)
	var undone []string
	for _, name := range []string{"a", "b"} {
		p.Add(Step{
			Name: name,
			Run:  func(context.Context) error { return nil },
			Undo: func(context.Context) error { undone = append(undone, name); return nil },
		})
	}
	p.Add(Step{Name: "c", Run: func(context.Context) error { return errors.New("boom") }})
	if err := p.RunWithCompensation(context.Background()); err == nil {
		t.Fatal("expected an error from step c")
	}
	if strings.Join(undone, ",") != "b,a" {
		t.Fatalf("undone = %v, want [b a]", undone)
	}
}

func TestRestoreAfterSave(t *testing.T) {
	p, _ := newTestPipeline(t)
	dir := t.TempDir()
	p.markDone("x")
	if err := p.State().Save(filepath.Join(dir, "test.state.json")); err != nil {
		t.Fatal(err)
	}
	st, err := p.Restore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Done) != 1 || st.Done[0] != "x" {
		t.Fatalf("restored %+v", st)
	}
}

func TestTasksReadInputs(t *testing.T) {
	p, _ := newTestPipeline(t)
	dir := t.TempDir()
	p.Add(Step{Name: "s1", Run: func(context.Context) error { return nil }})
	if err := os.WriteFile(filepath.Join(dir, "s1.in"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got string
	for _, task := range p.Tasks(dir, func(_ string, r io.Reader) error {
		b, err := io.ReadAll(r)
		got = string(b)
		return err
	}) {
		if err := task(); err != nil {
			t.Fatal(err)
		}
	}
	if got != "hello" {
		t.Fatalf("task read %q", got)
	}
}

func TestFireLoggedLogsPanic(t *testing.T) {
	p, buf := newTestPipeline(t)
	p.hooks["before:x"] = func() { panic("hook failed") }
	p.fireLogged("before:x")
	if !strings.Contains(buf.String(), "hook failed") {
		t.Fatalf("log = %q", buf.String())
	}
}
