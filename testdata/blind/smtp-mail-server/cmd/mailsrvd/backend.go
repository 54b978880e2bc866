package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"example.com/mailsrv/internal/bounce"
	"example.com/mailsrv/internal/config"
	"example.com/mailsrv/internal/greylist"
	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/queue"
	"example.com/mailsrv/internal/smtpd"
	"example.com/mailsrv/internal/spool"
)

// backend connects the SMTP listener to the spool and the greylist.
type backend struct {
	cfg    *config.Config
	sp     *spool.Spool
	grey   *greylist.Greylist
	m      *metrics.Counters
	runner *queue.Runner
}

func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return addr[at+1:]
	}
	return ""
}

func (b *backend) CheckRcpt(ip net.IP, from, rcpt string) error {
	if !b.cfg.IsLocal(domainOf(rcpt)) {
		return smtpd.ErrRelayDenied
	}
	if b.grey.Check(ip.String(), from, rcpt, time.Now()) == greylist.Defer {
		b.m.Inc("greylist_deferred")
		return smtpd.ErrGreylisted
	}
	return nil
}

func (b *backend) Accept(from string, rcpts []string, body io.Reader) (string, error) {
	return b.sp.Write(spool.Envelope{From: from, To: rcpts, Received: time.Now()}, body)
}

// Accepted implements smtpd.Notifier: new mail wakes the queue up.
func (b *backend) Accepted(id string) {
	b.runner.Kick()
}

// spoolBouncer queues bounces as ordinary messages with a null sender.
type spoolBouncer struct {
	gen *bounce.Generator
	sp  *spool.Spool
}

func (b *spoolBouncer) Bounce(m queue.Message, reason string) error {
	orig, err := os.ReadFile(m.Path)
	if err != nil {
		orig = []byte("(original message no longer available)\r\n")
	}
	msg, err := b.gen.Build(bounce.Failure{
		ID:        m.ID,
		From:      m.From,
		Rcpt:      m.Rcpt,
		Reason:    reason,
		Permanent: true,
		Arrived:   m.Received,
	}, orig, time.Now())
	if errors.Is(err, bounce.ErrNullSender) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = b.sp.Write(spool.Envelope{From: "", To: []string{m.From}}, bytes.NewReader(msg))
	return err
}
