package scanner

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// session is one v2 handheld connection.
type session struct {
	conn   net.Conn
	idle   time.Duration
	log    *log.Logger
	remote string

	wmu  sync.Mutex
	done chan struct{}
	seen int
}

func newSession(conn net.Conn, idle time.Duration, logger *log.Logger) *session {
	return &session{
		conn:   conn,
		idle:   idle,
		log:    logger,
		remote: conn.RemoteAddr().String(),
		done:   make(chan struct{}),
	}
}

// reply writes one line; the keepalive goroutine writes concurrently, so
// writes are serialised.
func (s *session) reply(format string, args ...any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return writeLine(s.conn, fmt.Sprintf(format, args...), 5*time.Second)
}

// keepalive sends a KEEPALIVE line every interval until the session ends.
func (s *session) keepalive(interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			if err := s.reply("KEEPALIVE"); err != nil {
				return
			}
		}
	}
}

// run reads scan lines until the handheld disconnects or goes idle.
func (s *session) run(handle Handler) {
	defer close(s.done)
	defer s.log.Printf("scanner: session from %s closed", s.remote)

	rd := bufio.NewScanner(s.conn)
	for {
		if err := s.conn.SetReadDeadline(time.Now().Add(s.idle)); err != nil {
			return
		}
		if !rd.Scan() {
			return
		}
		line := strings.TrimSpace(rd.Text())
		switch {
		case line == "":
			continue
		case line == "PING":
			if err := s.reply("PONG"); err != nil {
				return
			}
			continue
		case line == "QUIT":
			s.reply("BYE %d", s.seen)
			return
		}
		ev, err := ParseLine(line, time.Now())
		if err == nil {
			err = handle(ev)
		}
		if err != nil {
			if s.reply("ERR %v", err) != nil {
				return
			}
			continue
		}
		s.seen++
		if err := s.reply("OK %d", s.seen); err != nil {
			return
		}
	}
}
