// Package email batches outgoing notification mail per tenant.
package email

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// Message is one outgoing email.
type Message struct {
	Tenant  string
	To      string
	Subject string
	Body    string
}

// Sender delivers a batch of messages.
type Sender interface {
	Send(ctx context.Context, batch []Message) error
}

// WriterSender writes messages to an io.Writer (dev mode and tests).
type WriterSender struct {
	mu sync.Mutex
	W  io.Writer
}

// Send writes each message as a small RFC 822-ish block.
func (s *WriterSender) Send(ctx context.Context, batch []Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(s.W, "To: %s\nSubject: %s\nX-Tenant: %s\n\n%s\n.\n", m.To, m.Subject, m.Tenant, m.Body); err != nil {
			return err
		}
	}
	return nil
}

// ErrClosed is returned by Enqueue after Close.
var ErrClosed = errors.New("email: batcher closed")

// Batcher collects messages and sends them in batches of up to Size, or
// every FlushEvery, whichever comes first.
type Batcher struct {
	sender     Sender
	size       int
	flushEvery time.Duration
	logger     *log.Logger

	in     chan Message
	quit   chan struct{}
	closed sync.Once
	done   chan struct{}
}

// NewBatcher returns a batcher; call Run in a goroutine.
func NewBatcher(s Sender, size int, flushEvery time.Duration, logger *log.Logger) *Batcher {
	return &Batcher{
		sender: s, size: size, flushEvery: flushEvery, logger: logger,
		in: make(chan Message, size*4), quit: make(chan struct{}), done: make(chan struct{}),
	}
}

// Enqueue queues m, waiting for room until ctx is done.
func (b *Batcher) Enqueue(ctx context.Context, m Message) error {
	if !strings.Contains(m.To, "@") {
		return fmt.Errorf("email: bad address %q", m.To)
	}
	select {
	case b.in <- m:
		return nil
	case <-b.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run batches until Close, then flushes what is left.
func (b *Batcher) Run(ctx context.Context) {
	defer close(b.done)
	t := time.NewTicker(b.flushEvery)
	defer t.Stop()
	batch := make([]Message, 0, b.size)
	flush := func() {
		if len(batch) > 0 {
			b.sendBatch(ctx, batch)
			batch = make([]Message, 0, b.size)
		}
	}
	for {
		select {
		case m := <-b.in:
			batch = append(batch, m)
			if len(batch) >= b.size {
				flush()
			}
		case <-t.C:
			flush()
		case <-b.quit:
			for {
				select {
				case m := <-b.in:
					batch = append(batch, m)
				default:
					flush()
					return
				}
			}
		}
	}
}

// sendBatch sends one batch; sender plugins are third-party code.
func (b *Batcher) sendBatch(ctx context.Context, batch []Message) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken address makes some senders panic; drop the batch
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := b.sender.Send(ctx, batch); err != nil {
		b.logger.Printf("email: batch of %d failed: %v", len(batch), err)
	}
}

// Close stops accepting messages and waits for the final flush or ctx.
func (b *Batcher) Close(ctx context.Context) error {
	b.closed.Do(func() { close(b.quit) })
	select {
	case <-b.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SMTPSender checks recipient domains before handing off to a relay.
type SMTPSender struct {
	Relay   Sender
	Resolve func(ctx context.Context, host string) ([]*net.MX, error)
}

// Send verifies every domain in the batch, then relays.
func (s *SMTPSender) Send(ctx context.Context, batch []Message) error {
	seen := map[string]bool{}
	for _, m := range batch {
		domain := m.To[strings.LastIndexByte(m.To, '@')+1:]
		if seen[domain] {
			continue
		}
		seen[domain] = true
		if err := s.Verify(ctx, domain); err != nil {
			return fmt.Errorf("verify %s: %w", domain, err)
		}
	}
	return s.Relay.Send(ctx, batch)
}

// Verify looks up the MX records of domain, giving up when ctx ends.
func (s *SMTPSender) Verify(ctx context.Context, domain string) error {
	res := make(chan error)
	go func() {
		mx, err := s.Resolve(context.WithoutCancel(ctx), domain)
		if err == nil && len(mx) == 0 {
			err = fmt.Errorf("no MX for %s", domain)
		}
		res <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// VerifyAll checks domains concurrently with a bounded wait; the result
// channel has room for every sender.
func (s *SMTPSender) VerifyAll(ctx context.Context, domains []string) error {
	res := make(chan error, len(domains))
	for _, d := range domains {
		go func() { res <- s.Verify(ctx, d) }()
	}
	var errs []error
	for range domains {
		select {
		case err := <-res:
			if err != nil {
				errs = append(errs, err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
}
