package proc

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the pump goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestStartPumpsOutput(t *testing.T) {
	var out syncBuffer
	p, err := Start(context.Background(), Spec{
		ID:     "t",
		Path:   "/bin/sh",
		Args:   []string{"-c", "echo hello; echo oops >&2; exit 3"},
		Stdout: &out,
		Stderr: &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	if code := ExitCode(p.Wait()); code != 3 {
		t.Fatalf("exit code %d", code)
	}
	if s := out.String(); !strings.Contains(s, "hello") || !strings.Contains(s, "oops") {
		t.Fatalf("output %q", s)
	}
}

func TestStopEscalatesToKill(t *testing.T) {
	p, err := Start(context.Background(), Spec{
		ID:   "stubborn",
		Path: "/bin/sh",
		Args: []string{"-c", "trap '' TERM; exec sleep 30"},
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the shell install its trap
	if err := p.Stop(200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if code := ExitCode(p.Wait()); code != 128+int(syscall.SIGKILL) {
		t.Fatalf("exit code %d, want SIGKILL", code)
	}
}

func TestTailLines(t *testing.T) {
	path := t.TempDir() + "/out.log"
	if err := CopyToLogChecked(path, strings.NewReader("a\nb\nc\n")); err != nil {
		t.Fatal(err)
	}
	got, err := TailLines(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "") != "bc" {
		t.Fatalf("tail = %v", got)
	}
}
