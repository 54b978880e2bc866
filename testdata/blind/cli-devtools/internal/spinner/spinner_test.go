package spinner

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the spinner goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestStartStop(t *testing.T) {
	var out lockedBuffer
	s := New(&out, "working")
	s.SetInterval(5 * time.Millisecond)
	s.Start()
	s.Start()
	time.Sleep(30 * time.Millisecond)
	s.Stop()
	s.Stop()
	if s.Running() {
		t.Fatal("still running after Stop")
	}
	if !strings.Contains(out.String(), "working") {
		t.Fatalf("output %q lacks the message", out.String())
	}
}

func TestTrack(t *testing.T) {
	var out lockedBuffer
	func() {
		defer Track(&out, "tracked")()
		time.Sleep(150 * time.Millisecond)
	}()
	if !strings.Contains(out.String(), "tracked") {
		t.Fatalf("output %q lacks the message", out.String())
	}
}
