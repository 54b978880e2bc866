package smtpx

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Sink is a development SMTP server that accepts every message and stores it
// as an .eml file, so campaigns can be test-sent without a real MX.
type Sink struct {
	Addr    string
	Dir     string
	Timeout time.Duration
	// OnSession, if set, is called when a session ends (tests use it to
	// wait for delivery).
	OnSession func()

	mu       sync.Mutex
	received int
}

// ListenAndServe listens on s.Addr and serves sessions until Accept fails.
func (s *Sink) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.Addr)
	defer ln.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve accepts sessions on ln.
func (s *Sink) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.handle(conn)
	}
}

// Received returns the number of stored messages.
func (s *Sink) Received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received
}

// reply writes one response line under a deadline.
func (s *Sink) reply(conn net.Conn, code int, text string) error {
	if err := conn.SetWriteDeadline(time.Now().Add(s.Timeout)); err != nil {
		return err
	}
	_, err := fmt.Fprintf(conn, "%d %s\r\n", code, text)
	return err
}

// handle runs one SMTP session.
func (s *Sink) handle(conn net.Conn) {
	defer conn.Close()
	defer s.OnSession() // HAZ defer-nil-func
	r := bufio.NewReader(conn)
	if s.reply(conn, 220, "newsletter sink ready") != nil {
		return
	}
	var from string
	var rcpts []string
	for {
		if err := conn.SetReadDeadline(time.Now().Add(s.Timeout)); err != nil {
			return
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO", "RSET", "NOOP":
			err = s.reply(conn, 250, "ok")
		case "MAIL":
			from = arg
			err = s.reply(conn, 250, "ok")
		case "RCPT":
			rcpts = append(rcpts, arg)
			err = s.reply(conn, 250, "ok")
		case "DATA":
			if err = s.reply(conn, 354, "end with ."); err != nil {
				return
			}
			body, rerr := readDotted(r)
			if rerr != nil {
				return
			}
			if serr := s.save(from, rcpts, body); serr != nil {
				err = s.reply(conn, 451, serr.Error())
			} else {
				err = s.reply(conn, 250, "queued")
			}
			from, rcpts = "", nil
		case "QUIT":
			s.reply(conn, 221, "bye")
			return
		default:
			err = s.reply(conn, 502, "not implemented")
		}
		if err != nil {
			return
		}
	}
}

// readDotted reads a DATA section up to the lone "." line, un-stuffing dots.
func readDotted(r *bufio.Reader) ([]byte, error) {
	var buf bytes.Buffer
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		trimmed := strings.TrimRight(line, "\r\n")
		if trimmed == "." {
			return buf.Bytes(), nil
		}
		buf.WriteString(strings.TrimPrefix(trimmed, "."))
		buf.WriteString("\r\n")
	}
}

// save stores one message as an .eml file.
func (s *Sink) save(from string, rcpts []string, body []byte) error {
	s.mu.Lock()
	s.received++
	n := s.received
	s.mu.Unlock()
	hdr := fmt.Sprintf("X-Sink-From: %s\r\nX-Sink-To: %s\r\n", from, strings.Join(rcpts, ", "))
	name := filepath.Join(s.Dir, fmt.Sprintf("%06d.eml", n))
	return os.WriteFile(name, append([]byte(hdr), body...), 0o644)
}
