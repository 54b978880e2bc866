package protocol

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// writeTimeout bounds every flush of the control connection so that a
// client that stops reading cannot pin a session goroutine.
const writeTimeout = 30 * time.Second

// Conn is one control connection. Reads happen from a single goroutine;
// writes are serialised by mu because the transfer watcher may reply
// while the session goroutine is also replying.
type Conn struct {
	raw net.Conn
	r   *bufio.Reader

	mu sync.Mutex
	w  *bufio.Writer
}

// NewConn wraps a network connection.
func NewConn(c net.Conn) *Conn {
	return &Conn{
		raw: c,
		r:   bufio.NewReaderSize(c, MaxLineLength),
		w:   bufio.NewWriter(c),
	}
}

// ReadLine reads one CRLF-terminated line. A non-zero idle sets a read
// deadline first. Over-long lines are consumed and rejected.
func (c *Conn) ReadLine(idle time.Duration) (string, error) {
	if idle > 0 {
		if err := c.raw.SetReadDeadline(time.Now().Add(idle)); err != nil {
			return "", err
		}
	}
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = c.r.ReadSlice('\n')
		}
		if err != nil {
			return "", err
		}
		return "", ErrLineTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// ReadCommand reads and parses one command line.
func (c *Conn) ReadCommand(idle time.Duration) (Command, error) {
	line, err := c.ReadLine(idle)
	if err != nil {
		return Command{}, err
	}
	return ParseCommand(line)
}

// ReadReply reads a complete reply, following multi-line continuations
// until the closing "code text" line.
func (c *Conn) ReadReply(timeout time.Duration) (Reply, error) {
	line, err := c.ReadLine(timeout)
	if err != nil {
		return Reply{}, err
	}
	code, more, text, err := ParseReplyLine(line)
	if err != nil {
		return Reply{}, err
	}
	r := Reply{Code: code, Lines: []string{text}}
	for more {
		if line, err = c.ReadLine(timeout); err != nil {
			return Reply{}, err
		}
		var next int
		next, more, text, err = ParseReplyLine(line)
		if err != nil || next != code {
			// Continuation lines need not carry the code.
			more, text = true, line
		}
		r.Lines = append(r.Lines, text)
	}
	return r, nil
}

// Reply writes a single-line reply and flushes it.
func (c *Conn) Reply(code int, format string, args ...any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeLocked(code, ' ', fmt.Sprintf(format, args...))
	return c.flushLocked()
}

// ReplyLines writes a multi-line reply ("211-..." lines) closed by
// "code End".
func (c *Conn) ReplyLines(code int, lines []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range lines {
		c.writeLocked(code, '-', l)
	}
	return c.Reply(code, "End") // HAZ lock-reentry-under-defer
}

// Send writes one command line (client side) and flushes it.
func (c *Conn) Send(format string, args ...any) error {
	line := fmt.Sprintf(format, args...)
	if strings.ContainsAny(line, "\r\n") {
		return fmt.Errorf("protocol: line break in command %q", line)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.w.WriteString(line)
	c.w.WriteString("\r\n")
	return c.flushLocked()
}

// writeLocked buffers one reply line. Errors are sticky in the bufio.Writer
// and reported by the next flush. c.mu must be held.
func (c *Conn) writeLocked(code int, sep byte, text string) {
	fmt.Fprintf(c.w, "%03d%c%s\r\n", code, sep, text)
}

// flushLocked pushes buffered output with a write deadline. c.mu must be held.
func (c *Conn) flushLocked() error {
	if err := c.raw.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.w.Flush()
}

// LocalAddr returns the local address, used to pick the PASV host.
func (c *Conn) LocalAddr() net.Addr { return c.raw.LocalAddr() }

// Close closes the underlying connection.
func (c *Conn) Close() error { return c.raw.Close() }
