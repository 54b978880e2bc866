// Package smtpx is a small hand-written SMTP client: just enough of RFC 5321
// to hand messages to a receiving MX, with a deadline on every exchange.
package smtpx

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Client is one SMTP session over a net.Conn.
type Client struct {
	conn    net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	timeout time.Duration
	ext     map[string]string
}

// Dial connects to addr, reads the greeting and says EHLO.
func Dial(ctx context.Context, addr, helo string, timeout time.Duration) (*Client, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := newClient(conn, timeout)
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		conn.Close()
		return nil, err
	}
	if _, _, err := c.readReply(220); err != nil {
		conn.Close()
		return nil, fmt.Errorf("greeting from %s: %w", addr, err)
	}
	if err := c.hello(helo); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

func newClient(conn net.Conn, timeout time.Duration) *Client {
	return &Client{
		conn:    conn,
		r:       bufio.NewReader(conn),
		w:       bufio.NewWriter(conn),
		timeout: timeout,
		ext:     make(map[string]string),
	}
}

// cmd sends one command line and reads the reply, under a fresh deadline.
func (c *Client) cmd(expect int, line string) (int, string, error) {
	if err := c.conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, "", err
	}
	if _, err := c.w.WriteString(line + "\r\n"); err != nil {
		return 0, "", err
	}
	if err := c.w.Flush(); err != nil {
		return 0, "", err
	}
	return c.readReply(expect)
}

// readReply reads a possibly multi-line reply and checks its code.
func (c *Client) readReply(expect int) (int, string, error) {
	var lines []string
	code := 0
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return 0, "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if len(line) < 4 {
			return 0, "", fmt.Errorf("smtpx: short reply %q", line)
		}
		n, err := strconv.Atoi(line[:3])
		if err != nil {
			return 0, "", fmt.Errorf("smtpx: bad reply code in %q", line)
		}
		code = n
		lines = append(lines, line[4:])
		if line[3] != '-' {
			break
		}
	}
	msg := strings.Join(lines, "\n")
	if expect != 0 && code/100 != expect/100 {
		return code, msg, &Error{Code: code, Msg: msg}
	}
	return code, msg, nil
}

// hello says EHLO and records the advertised extensions, falling back to
// HELO for ancient servers.
func (c *Client) hello(name string) error {
	_, msg, err := c.cmd(250, "EHLO "+name)
	if err != nil {
		if _, _, err := c.cmd(250, "HELO "+name); err != nil {
			return err
		}
		return nil
	}
	for _, line := range strings.Split(msg, "\n")[1:] {
		k, v, _ := strings.Cut(line, " ")
		c.ext[strings.ToUpper(k)] = v
	}
	return nil
}

// Extension reports whether the server advertised ext, and its parameter.
func (c *Client) Extension(ext string) (bool, string) {
	v, ok := c.ext[strings.ToUpper(ext)]
	return ok, v
}

// Send runs one MAIL/RCPT/DATA transaction.
func (c *Client) Send(from string, to []string, msg []byte) error {
	if _, _, err := c.cmd(250, "MAIL FROM:<"+from+">"); err != nil {
		return err
	}
	for _, rcpt := range to {
		if _, _, err := c.cmd(250, "RCPT TO:<"+rcpt+">"); err != nil {
			return fmt.Errorf("rcpt %s: %w", rcpt, err)
		}
	}
	if _, _, err := c.cmd(354, "DATA"); err != nil {
		return err
	}
	if err := writeDotStuffed(c.w, msg); err != nil {
		return err
	}
	_, _, err := c.cmd(250, ".")
	return err
}

// writeDotStuffed writes msg with CRLF line endings and leading dots doubled.
// The terminating "." line is sent by the caller.
func writeDotStuffed(w *bufio.Writer, msg []byte) error {
	for _, line := range bytes.Split(bytes.TrimRight(msg, "\r\n"), []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) > 0 && line[0] == '.' {
			if err := w.WriteByte('.'); err != nil {
				return err
			}
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		if _, err := w.WriteString("\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// Reset aborts the current transaction.
func (c *Client) Reset() error {
	_, _, err := c.cmd(250, "RSET")
	return err
}

// Quit ends the session politely and closes the connection.
func (c *Client) Quit() error {
	_, _, err := c.cmd(221, "QUIT")
	cerr := c.conn.Close()
	if err != nil {
		return err
	}
	return cerr
}

// Close drops the connection without QUIT.
func (c *Client) Close() error {
	return c.conn.Close()
}

// SendOne dials addr, delivers one message and quits.
func SendOne(ctx context.Context, addr, helo, from string, to []string, msg []byte, timeout time.Duration) error {
	c, err := Dial(ctx, addr, helo, timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Send(from, to, msg); err != nil {
		return err
	}
	return c.Quit()
}

// Probe connects to an MX and returns its greeting banner, without sending
// anything. Used by the domain verification screen.
func Probe(addr string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", fmt.Errorf("probe %s: %w", addr, err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	banner, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(banner, "220") {
		return "", fmt.Errorf("probe %s: unexpected banner %q", addr, strings.TrimSpace(banner))
	}
	return strings.TrimSpace(banner[3:]), nil
}

// DialQuick dials addr and gives up after d; used by the MX health page.
func DialQuick(addr string, d time.Duration) (net.Conn, error) {
	type dialResult struct {
		conn net.Conn
		err  error
	}
	ch := make(chan dialResult)
	go func() { // HAZ goroutine-blocked-send
		conn, err := net.Dial("tcp", addr)
		ch <- dialResult{conn, err}
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("smtpx: dial %s: no answer after %s", addr, d)
	}
}
