package smtpd

import (
	"io"
	"log"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"example.com/mailsrv/internal/metrics"
)

type memBackend struct {
	got []string
}

func (b *memBackend) CheckRcpt(ip net.IP, from, rcpt string) error {
	if !strings.HasSuffix(rcpt, "@example.net") {
		return ErrRelayDenied
	}
	return nil
}

func (b *memBackend) Accept(from string, rcpts []string, body io.Reader) (string, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return "", err
	}
	b.got = append(b.got, string(data))
	return "q1", nil
}

func TestParsePath(t *testing.T) {
	cases := []struct {
		arg, prefix, want string
		ok                bool
	}{
		{"FROM:<a@example.org>", "FROM:", "a@example.org", true},
		{"from: <a@example.org> SIZE=100", "FROM:", "a@example.org", true},
		{"FROM:<>", "FROM:", "", true},
		{"TO:a@example.org", "TO:", "", false},
		{"TO:<a@b@c>", "TO:", "", false},
	}
	for _, c := range cases {
		got, err := parsePath(c.arg, c.prefix)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parsePath(%q) = %q, %v", c.arg, got, err)
		}
	}
}

func TestSessionTransaction(t *testing.T) {
	backend := &memBackend{}
	srv := &Server{
		Hostname:     "mx.test",
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
		DataTimeout:  5 * time.Second,
		Backend:      backend,
		Metrics:      metrics.New(),
		ErrorLog:     log.New(io.Discard, "", 0),
	}
	serverSide, clientSide := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.serveConn(serverSide)
	}()

	c := textproto.NewConn(clientSide)
	defer c.Close()
	steps := []struct {
		send string
		code int
	}{
		{"", 220},
		{"HELO client.test", 250},
		{"MAIL FROM:<a@example.org>", 250},
		{"RCPT TO:<b@elsewhere.org>", 554},
		{"RCPT TO:<b@example.net>", 250},
		{"DATA", 354},
		{"Subject: hi\r\n\r\nhello\r\n.", 250},
		{"QUIT", 221},
	}
	for _, st := range steps {
		if st.send != "" {
			if err := c.PrintfLine("%s", st.send); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := c.ReadResponse(st.code); err != nil {
			t.Fatalf("after %q: %v", st.send, err)
		}
	}
	<-done
	if len(backend.got) != 1 || !strings.Contains(backend.got[0], "hello") {
		t.Fatalf("backend got %q", backend.got)
	}
}
