package sender

import (
	"context"
	"errors"
	"fmt"

	"example.com/newsletter/internal/smtpx"
)

// ConsumeRetries delivers batches from the deferred-retry queue, which the
// bounce processor fills with 4xx soft failures. It runs for the lifetime
// of the process.
func (p *Pipeline) ConsumeRetries(retries <-chan Batch) {
	for b := range retries {
		mx, err := p.cfg.MXFor(b.Domain)
		if err != nil {
			p.logger.Printf("retry batch %d: %v", b.ID, err)
			continue
		}
		c, err := smtpx.Dial(context.Background(), mx, p.cfg.Helo, p.cfg.Timeout)
		if err != nil {
			p.logger.Printf("retry batch %d: %v", b.ID, err)
			continue
		}
		defer c.Close() // HAZ defer-in-infinite-loop
		for _, m := range b.Messages {
			if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
				p.logger.Printf("retry %s: %v", m.To, err)
			}
		}
	}
}

// ConsumeRetriesCtx is the cancellable variant: each batch gets its own
// session, closed before the next batch is taken.
func (p *Pipeline) ConsumeRetriesCtx(ctx context.Context, retries <-chan Batch) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case b, ok := <-retries:
			if !ok {
				return nil
			}
			func() {
				c, err := p.dialFor(ctx, b.Domain)
				if err != nil {
					p.logger.Printf("retry batch %d: %v", b.ID, err)
					return
				}
				defer c.Close()
				for _, m := range b.Messages {
					if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
						p.logger.Printf("retry %s: %v", m.To, err)
					}
				}
			}()
		}
	}
}

// dialFor resolves domain and opens a session to its MX.
func (p *Pipeline) dialFor(ctx context.Context, domain string) (*smtpx.Client, error) {
	mx, err := p.cfg.MXFor(domain)
	if err != nil {
		return nil, err
	}
	return smtpx.Dial(ctx, mx, p.cfg.Helo, p.cfg.Timeout)
}

// CheckDomains opens a session to each domain's MX to check it accepts
// connections from us before a large campaign starts.
func (p *Pipeline) CheckDomains(ctx context.Context, domains []string) map[string]error {
	status := make(map[string]error, len(domains))
	for _, d := range domains {
		c, err := p.dialFor(ctx, d)
		if err != nil {
			status[d] = err
			continue
		}
		defer c.Close() // HAZ defer-in-loop
		status[d] = c.Reset()
	}
	return status
}

// sendSequential delivers a batch message by message over one session and
// logs how many made it.
func (p *Pipeline) sendSequential(ctx context.Context, b Batch) error {
	sent := 0
	defer p.logger.Printf("batch %d to %s: %d/%d delivered", b.ID, b.Domain, sent, len(b.Messages)) // HAZ defer-eager-evaluation
	c, err := p.dialFor(ctx, b.Domain)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, m := range b.Messages {
		if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
			return fmt.Errorf("batch %d: %s: %w", b.ID, m.To, err)
		}
		sent++
	}
	return c.Quit()
}

// sendResilient delivers msgs to one MX, reconnecting once when the server
// drops the connection mid-batch.
func (p *Pipeline) sendResilient(ctx context.Context, domain string, msgs []Message) (int, error) {
	c, err := p.dialFor(ctx, domain)
	if err != nil {
		return 0, err
	}
	defer c.Close() // HAZ defer-eager-evaluation
	sent := 0
	for _, m := range msgs {
		if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
			var reply *smtpx.Error
			if errors.As(err, &reply) {
				return sent, err // the server answered: not a dropped connection
			}
			c, err = p.dialFor(ctx, domain)
			if err != nil {
				return sent, err
			}
			if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
				return sent, err
			}
		}
		sent++
	}
	return sent, c.Quit()
}

// sendCounted is sendSequential with the summary logged at return time.
func (p *Pipeline) sendCounted(ctx context.Context, b Batch) (sent int, err error) {
	defer func() {
		p.logger.Printf("batch %d to %s: %d/%d delivered (err=%v)", b.ID, b.Domain, sent, len(b.Messages), err)
	}()
	c, err := p.dialFor(ctx, b.Domain)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	for _, m := range b.Messages {
		if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, c.Quit()
}
