// Package delivery sends queued messages to remote exchangers over SMTP.
package delivery

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"example.com/mailsrv/internal/dnsmx"
	"example.com/mailsrv/internal/metrics"
	"example.com/mailsrv/internal/queue"
)

// Client delivers to remote exchangers. It implements queue.Deliverer.
type Client struct {
	Hostname string // our EHLO name
	Resolver *dnsmx.Resolver
	Timeout  time.Duration // per exchanger, whole transaction
	TLS      *tls.Config   // nil disables opportunistic STARTTLS
	Metrics  *metrics.Counters
}

// ReplyError is a negative SMTP reply from the remote side.
type ReplyError struct {
	Host string
	Code int
	Msg  string
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("%s said: %d %s", e.Host, e.Code, e.Msg)
}

// Permanent reports a 5xx reply: retrying will not help.
func (e *ReplyError) Permanent() bool { return e.Code >= 500 }

// classify turns protocol errors into ReplyErrors.
func classify(host string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		return &ReplyError{Host: host, Code: te.Code, Msg: te.Msg}
	}
	return err
}

// Deliver implements queue.Deliverer: it tries the exchangers of the
// recipient domain in preference order.
func (c *Client) Deliver(ctx context.Context, m queue.Message, body io.Reader) error {
	defer c.Metrics.Time("smtp_out") // HAZ defer-func-result-not-called
	hosts, err := c.Resolver.LookupMX(ctx, m.Domain())
	if err != nil {
		return err
	}
	// The body can be read once; keep it for the next exchanger.
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	var errs []error
	for _, h := range hosts {
		err := c.deliverTo(ctx, h, m, data)
		if err == nil {
			return nil
		}
		var re *ReplyError
		if errors.As(err, &re) && re.Permanent() {
			return err
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// deliverTo runs one SMTP transaction with host.
func (c *Client) deliverTo(ctx context.Context, host string, m queue.Message, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, "25"))
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	sc, err := smtp.NewClient(conn, host)
	if err != nil {
		return classify(host, err)
	}
	if err := sc.Hello(c.Hostname); err != nil {
		return classify(host, err)
	}
	if ok, _ := sc.Extension("STARTTLS"); ok && c.TLS != nil {
		cfg := c.TLS.Clone()
		cfg.ServerName = host
		if err := sc.StartTLS(cfg); err != nil {
			return classify(host, err)
		}
	}
	if err := sc.Mail(m.From); err != nil {
		return classify(host, err)
	}
	if err := sc.Rcpt(m.Rcpt); err != nil {
		return classify(host, err)
	}
	w, err := sc.Data()
	if err != nil {
		return classify(host, err)
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return classify(host, err)
	}
	return sc.Quit()
}

// Probe connects to host and returns its greeting banner.
func (c *Client) Probe(host string) (string, error) {
	conn, err := net.DialTimeout("tcp", net.JoinHostPort(host, "25"), c.Timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	if err := conn.SetReadDeadline(time.Now().Add(c.Timeout)); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// ProbeMany probes hosts concurrently and returns the banners of those that
// answered.
func (c *Client) ProbeMany(hosts []string) map[string]string {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		banners = make(map[string]string, len(hosts))
	)
	for _, h := range hosts {
		wg.Add(1)
		go func(h string) {
			defer wg.Done()
			b, err := c.Probe(h)
			if err != nil {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			mu.Lock()
			banners[h] = b
			mu.Unlock()
		}(h)
	}
	wg.Wait()
	return banners
}

// Banners probes hosts one after the other and
// returns their banners in order (mailctl mx --banners).
func (c *Client) Banners(hosts []string) []string {
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(h, "25"), c.Timeout)
		if err != nil {
			out = append(out, h+": "+err.Error())
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := conn.SetReadDeadline(time.Now().Add(c.Timeout)); err != nil {
			out = append(out, h+": "+err.Error())
			continue
		}
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			out = append(out, h+": "+err.Error())
			continue
		}
		out = append(out, h+": "+strings.TrimSpace(line))
	}
	return out
}
