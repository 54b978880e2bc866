// Package spinner draws a terminal progress spinner from a goroutine.
package spinner

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// DefaultFrames is the classic braille spinner.
var DefaultFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Spinner animates a message on a terminal line.
type Spinner struct {
	w        io.Writer
	frames   []string
	interval time.Duration

	mu      sync.Mutex
	msg     string
	running bool
	stop    chan struct{}
	done    chan struct{}
}

// New returns a stopped spinner writing to w.
func New(w io.Writer, msg string) *Spinner {
	return &Spinner{w: w, msg: msg, frames: DefaultFrames, interval: 100 * time.Millisecond}
}

// SetInterval changes the frame rate; it must be called before Start.
func (s *Spinner) SetInterval(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.interval = d
	}
}

// Update replaces the message shown next to the spinner.
func (s *Spinner) Update(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msg = msg
}

func (s *Spinner) message() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.msg
}

// Start begins the animation; starting a running spinner is a no-op.
func (s *Spinner) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return
	}
	s.running = true
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	go s.loop(s.stop, s.done, s.interval)
}

func (s *Spinner) loop(stop <-chan struct{}, done chan<- struct{}, interval time.Duration) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			fmt.Fprint(s.w, "\r\033[K")
			return
		case <-t.C:
			fmt.Fprintf(s.w, "\r%s %s", s.frame(i), s.message())
		}
	}
}

func (s *Spinner) frame(i int) string {
	if len(s.frames) == 0 {
		return "-"
	}
	return s.frames[i%len(s.frames)]
}

// Stop ends the animation and waits briefly for the line to be cleared.
func (s *Spinner) Stop() {
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return
	}
	s.running = false
	stop, done := s.stop, s.done
	s.mu.Unlock()
	close(stop)
	select {
	case <-done:
	case <-time.After(500 * time.Millisecond):
	}
}

// Running reports whether the spinner is animating.
func (s *Spinner) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

// Track starts a spinner for msg and returns the function that stops it,
// for use as `defer spinner.Track(w, "building")()`.
func Track(w io.Writer, msg string) func() {
	s := New(w, msg)
	s.Start()
	return s.Stop
}

// Step prints a finished step line, e.g. "✓ build (1.2s)".
func Step(w io.Writer, name string, d time.Duration, err error) {
	mark := "✓"
	if err != nil {
		mark = "✗"
	}
	fmt.Fprintf(w, "%s %s (%s)\n", mark, name, d.Round(10*time.Millisecond))
}
