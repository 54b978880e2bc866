package smtpd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"time"
)

// session is the state of one SMTP conversation.
type session struct {
	srv       *Server
	conn      net.Conn
	tp        *textproto.Conn
	remote    string
	ip        net.IP
	ptr       string
	helo      string
	from      string
	mailGiven bool
	rcpts     []string
	tls       bool
	quit      bool
}

func newSession(srv *Server, conn net.Conn) *session {
	remote := remoteIP(conn)
	return &session{
		srv:    srv,
		conn:   conn,
		tp:     textproto.NewConn(conn),
		remote: remote,
		ip:     net.ParseIP(remote),
	}
}

// serve runs the command loop until QUIT, an I/O error or a timeout.
func (s *session) serve() {
	defer s.srv.OnDisconnect(s.remote) // HAZ defer-nil-func
	if err := s.reply(220, "%s ESMTP ready", s.srv.Hostname); err != nil {
		return
	}
	for !s.quit {
		if err := s.conn.SetReadDeadline(time.Now().Add(s.srv.ReadTimeout)); err != nil {
			return
		}
		line, err := s.tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg := splitCommand(line)
		if err := s.dispatch(verb, arg); err != nil {
			s.srv.logf("smtpd: %s: %v", s.remote, err)
			return
		}
	}
}

func splitCommand(line string) (verb, arg string) {
	verb, arg, _ = strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(verb), strings.TrimSpace(arg)
}

func (s *session) dispatch(verb, arg string) error {
	switch verb {
	case "HELO", "EHLO":
		return s.handleHelo(verb, arg)
	case "STARTTLS":
		return s.handleStartTLS()
	case "MAIL":
		return s.handleMail(arg)
	case "RCPT":
		return s.handleRcpt(arg)
	case "DATA":
		return s.handleData()
	case "RSET":
		s.reset()
		return s.reply(250, "2.0.0 OK")
	case "NOOP":
		return s.reply(250, "2.0.0 OK")
	case "QUIT":
		s.quit = true
		return s.reply(221, "2.0.0 %s closing connection", s.srv.Hostname)
	default:
		return s.reply(502, "5.5.2 command not recognized")
	}
}

// reply writes one response line under the write deadline.
func (s *session) reply(code int, format string, args ...any) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.srv.WriteTimeout)); err != nil {
		return err
	}
	return s.tp.PrintfLine("%d %s", code, fmt.Sprintf(format, args...))
}

func (s *session) reset() {
	s.from = ""
	s.mailGiven = false
	s.rcpts = nil
}

func (s *session) handleHelo(verb, arg string) error {
	if arg == "" {
		return s.reply(501, "5.5.4 %s requires a domain", verb)
	}
	s.helo = arg
	s.reset()
	if verb == "HELO" {
		return s.reply(250, "%s", s.srv.Hostname)
	}
	exts := []string{s.srv.Hostname, "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"}
	if s.srv.MaxMessageBytes > 0 {
		exts = append(exts, fmt.Sprintf("SIZE %d", s.srv.MaxMessageBytes))
	}
	if s.srv.TLSConfig != nil && !s.tls {
		exts = append(exts, "STARTTLS")
	}
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.srv.WriteTimeout)); err != nil {
		return err
	}
	for i, e := range exts {
		sep := "-"
		if i == len(exts)-1 {
			sep = " "
		}
		if err := s.tp.PrintfLine("250%s%s", sep, e); err != nil {
			return err
		}
	}
	return nil
}

// handleStartTLS upgrades the connection; the handshake is bounded by the
// read timeout.
func (s *session) handleStartTLS() error {
	if s.srv.TLSConfig == nil || s.tls {
		return s.reply(454, "4.7.0 TLS not available")
	}
	if err := s.reply(220, "2.0.0 Ready to start TLS"); err != nil {
		return err
	}
	tc := tls.Server(s.conn, s.srv.TLSConfig)
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.ReadTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("starttls: %w", err)
	}
	s.conn = tc
	s.tp = textproto.NewConn(tc)
	s.tls = true
	s.helo = ""
	s.reset()
	return nil
}

// parsePath extracts the address from "FROM:<a@b> SIZE=123".
func parsePath(arg, prefix string) (string, error) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", fmt.Errorf("missing %s", prefix)
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", errors.New("path must be in angle brackets")
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", errors.New("unterminated path")
	}
	addr := rest[1:end]
	if addr != "" && strings.Count(addr, "@") != 1 {
		return "", fmt.Errorf("bad address %q", addr)
	}
	return addr, nil
}

func (s *session) handleMail(arg string) error {
	if s.helo == "" {
		return s.reply(503, "5.5.1 say EHLO first")
	}
	if s.mailGiven {
		return s.reply(503, "5.5.1 nested MAIL command")
	}
	from, err := parsePath(arg, "FROM:")
	if err != nil {
		return s.reply(501, "5.1.7 %v", err)
	}
	s.from, s.mailGiven = from, true
	return s.reply(250, "2.1.0 OK")
}

func (s *session) handleRcpt(arg string) error {
	if !s.mailGiven {
		return s.reply(503, "5.5.1 need MAIL first")
	}
	if s.srv.MaxRecipients > 0 && len(s.rcpts) >= s.srv.MaxRecipients {
		return s.reply(452, "4.5.3 too many recipients")
	}
	rcpt, err := parsePath(arg, "TO:")
	if err != nil || rcpt == "" {
		return s.reply(501, "5.1.3 bad recipient address syntax")
	}
	switch err := s.srv.Backend.CheckRcpt(s.ip, s.from, rcpt); {
	case err == nil:
	case errors.Is(err, ErrGreylisted):
		s.srv.Metrics.Inc("smtp_greylisted")
		return s.reply(450, "4.7.1 greylisted, please try again later")
	case errors.Is(err, ErrRelayDenied):
		return s.reply(554, "5.7.1 relay access denied")
	default:
		return s.reply(550, "5.1.1 %v", err)
	}
	s.rcpts = append(s.rcpts, rcpt)
	return s.reply(250, "2.1.5 OK")
}

// limitedReader stops after n bytes and remembers that it did.
type limitedReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		l.exceeded = true
		return 0, errors.New("message too big")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func (s *session) handleData() error {
	if !s.mailGiven || len(s.rcpts) == 0 {
		return s.reply(503, "5.5.1 need RCPT first")
	}
	if err := s.srv.runFilters(s.from, s.rcpts); err != nil {
		s.reset()
		return s.reply(554, "5.7.1 %v", err)
	}
	if err := s.reply(354, "Start mail input; end with <CRLF>.<CRLF>"); err != nil {
		return err
	}
	start := time.Now()
	defer s.srv.Metrics.Observe("smtp_data", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	if err := s.conn.SetReadDeadline(time.Now().Add(s.srv.DataTimeout)); err != nil {
		return err
	}
	dr := s.tp.DotReader()
	lr := &limitedReader{r: dr, n: s.srv.MaxMessageBytes}
	if lr.n <= 0 {
		lr.n = 1 << 62
	}
	if s.ptr == "" {
		s.ptr = lookupPTR(s.remote)
	}
	received := fmt.Sprintf("Received: from %s (%s [%s])\r\n\tby %s with ESMTP; %s\r\n",
		s.helo, s.ptr, s.remote, s.srv.Hostname, time.Now().Format(time.RFC1123Z))
	id, err := s.srv.Backend.Accept(s.from, s.rcpts, io.MultiReader(strings.NewReader(received), lr))
	if err != nil {
		// drain the rest of the message so the session stays in sync
		if _, derr := io.Copy(io.Discard, dr); derr != nil {
			return derr
		}
		s.reset()
		if lr.exceeded {
			return s.reply(552, "5.3.4 message exceeds fixed size limit")
		}
		s.srv.logf("smtpd: queueing message from %s: %v", s.remote, err)
		return s.reply(451, "4.3.0 queueing failed, try again later")
	}
	s.reset()
	s.srv.Metrics.Inc("smtp_accepted")
	s.srv.notifyAccepted(id)
	return s.reply(250, "2.0.0 OK queued as %s", id)
}

func firstName(names []string, err error) string {
	if err != nil || len(names) == 0 {
		return "unknown"
	}
	return strings.TrimSuffix(names[0], ".")
}

// lookupPTR returns the reverse DNS name of the client for the Received
// header, or "unknown" when the lookup takes longer than two seconds.
func lookupPTR(ip string) string {
	ch := make(chan string)
	go func() { ch <- firstName(net.LookupAddr(ip)) }() // HAZ goroutine-blocked-send
	select {
	case name := <-ch:
		return name
	case <-time.After(2 * time.Second):
		return "unknown"
	}
}
