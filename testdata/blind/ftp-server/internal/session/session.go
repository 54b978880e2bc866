// Package session keeps the table of connected clients: who they are,
// where they are in the tree, and how much they have transferred.
package session

import (
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/ftpsrv/internal/protocol"
)

// Session is one control connection.
type Session struct {
	ID      string
	Remote  string
	Started time.Time
	Conn    *protocol.Conn

	mu   sync.Mutex
	user string
	cwd  string

	lastActive atomic.Int64 // unix nanos
	busy       atomic.Bool  // a data transfer is running
	bytesIn    atomic.Int64
	bytesOut   atomic.Int64
	files      atomic.Int64
}

// Counters is a point-in-time copy of a session's transfer statistics.
type Counters struct {
	User     string
	BytesIn  int64
	BytesOut int64
	Files    int64
	Duration time.Duration
}

// Login records the authenticated user and resets the working directory.
func (s *Session) Login(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user = user
	s.cwd = "/"
}

// User returns the logged-in user, or "" before login.
func (s *Session) User() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user
}

// Cwd returns the virtual working directory.
func (s *Session) Cwd() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cwd
}

// Chdir sets the virtual working directory (already validated).
func (s *Session) Chdir(dir string) {
	s.mu.Lock()
	s.cwd = dir
	s.mu.Unlock()
}

// MarkActive restarts the idle clock at t.
func (s *Session) MarkActive(t time.Time) { s.lastActive.Store(t.UnixNano()) }

// SetBusy marks a data transfer as running; busy sessions are never idle.
func (s *Session) SetBusy(b bool) { s.busy.Store(b) }

// IdleFor reports how long the session has been idle at now.
func (s *Session) IdleFor(now time.Time) time.Duration {
	if s.busy.Load() {
		return 0
	}
	return now.Sub(time.Unix(0, s.lastActive.Load()))
}

// AddTransfer accounts one finished transfer.
func (s *Session) AddTransfer(in, out int64) {
	s.bytesIn.Add(in)
	s.bytesOut.Add(out)
	s.files.Add(1)
}

// Counters copies the statistics as they are now.
func (s *Session) Counters() Counters {
	return Counters{
		User:     s.User(),
		BytesIn:  s.bytesIn.Load(),
		BytesOut: s.bytesOut.Load(),
		Files:    s.files.Load(),
		Duration: time.Since(s.Started),
	}
}

// Log writes the counters as one log line.
func (c Counters) Log(id string) {
	log.Printf("session %s user=%q files=%d in=%d out=%d duration=%s",
		id, c.User, c.Files, c.BytesIn, c.BytesOut, c.Duration.Round(time.Millisecond))
}

// String formats the counters for the STAT reply.
func (c Counters) String() string {
	return fmt.Sprintf("%d files, %d bytes in, %d bytes out", c.Files, c.BytesIn, c.BytesOut)
}
