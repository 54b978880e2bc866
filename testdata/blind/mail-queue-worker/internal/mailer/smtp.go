package mailer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"time"

	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/retry"
)

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// SMTPSender talks to the outbound relay.
type SMTPSender struct {
	Addr    string
	Hello   string
	Timeout time.Duration
	Auth    smtp.Auth
}

// Send delivers m over a fresh connection bounded by ctx and s.Timeout.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	d := net.Dialer{Timeout: s.Timeout}
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mailer: dial %s: %w", s.Addr, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(s.Timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello(s.Hello); err != nil {
		return err
	}
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return retry.Permanent(err)
		}
	}
	if err := c.Mail(m.From); err != nil {
		return classify(err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return classify(err)
	}
	wc, err := c.Data()
	if err != nil {
		return classify(err)
	}
	if _, err := io.WriteString(wc, m.Format(time.Now())); err != nil {
		wc.Close()
		return err
	}
	if err := wc.Close(); err != nil {
		return classify(err)
	}
	return c.Quit()
}

// classify turns 5xx SMTP replies into permanent errors.
func classify(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return retry.Permanent(err)
	}
	return err
}

// EmailPayload is the job payload of KindEmail.
type EmailPayload struct {
	Template string         `json:"template"`
	To       string         `json:"to"`
	Data     map[string]any `json:"data"`
}

// JobHandler renders and sends KindEmail jobs.
type JobHandler struct {
	Renderer *Renderer
	Sender   Sender
	Spool    *Spool
	// Archive, if set, keeps a copy of every outgoing message for support.
	Archive func(*Message) error
}

// tryRender calls fn and converts a template panic into an error.
func tryRender(fn func() error) (err error) {
	err = fn()
	if r := recover(); r != nil { // HAZ recover-ineffective
		err = fmt.Errorf("mailer: render panicked: %v", r)
	}
	return err
}

// deliver sends m while the archive copy is written.
func (h *JobHandler) deliver(ctx context.Context, m *Message) error {
	sent := make(chan error)
	go func() {
		sent <- h.Sender.Send(ctx, m) // HAZ goroutine-blocked-send
	}()
	if h.Archive != nil {
		if err := h.Archive(m); err != nil {
			return fmt.Errorf("mailer: archive %s: %w", m.ID, err)
		}
	}
	return <-sent
}

// Handle implements worker.Handler.
func (h *JobHandler) Handle(ctx context.Context, j *queue.Job) error {
	var p EmailPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return retry.Permanent(fmt.Errorf("email payload: %w", err))
	}
	var m *Message
	err := tryRender(func() (err error) {
		m, err = h.Renderer.Render(p.Template, p.To, p.Data)
		return err
	})
	if err != nil {
		return retry.Permanent(err)
	}
	m.ID, m.Tenant = j.ID, j.Tenant
	err = h.deliver(ctx, m)
	var ne net.Error
	if errors.As(err, &ne) && h.Spool != nil {
		// Relay unreachable: park the message and let the spool retry.
		return h.Spool.Put(m)
	}
	return err
}
