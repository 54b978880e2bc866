package sender

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"example.com/newsletter/internal/obs"
	"example.com/newsletter/internal/smtpx"
)

// worker delivers batches until the queue is closed or ctx is done.
func (p *Pipeline) worker(ctx context.Context, id int) {
	for b := range p.batches {
		r := p.sendBatch(ctx, b)
		p.record(r)
		select {
		case p.results <- r:
		case <-ctx.Done():
			p.logger.Printf("worker %d: dropping result of batch %d: %v", id, b.ID, ctx.Err())
			return
		}
	}
}

// recoverWorker is deferred by every worker goroutine.
func (p *Pipeline) recoverWorker(id int) {
	if r := recover(); r != nil {
		p.logger.Printf("worker %d panicked: %v\n%s", id, r, debug.Stack())
		obs.Default.Inc("worker_panics")
	}
}

// sendBatch delivers one batch over a single SMTP session.
func (p *Pipeline) sendBatch(ctx context.Context, b Batch) (res Result) {
	defer obs.Region("send_batch")()
	res = Result{BatchID: b.ID, Domain: b.Domain}
	if err := p.limiter.Wait(ctx, b.Domain); err != nil {
		res.Err = err
		res.Failed = len(b.Messages)
		return res
	}
	mx, err := p.cfg.MXFor(b.Domain)
	if err != nil {
		res.Err = fmt.Errorf("resolve %s: %w", b.Domain, err)
		res.Failed = len(b.Messages)
		return res
	}
	c, err := smtpx.Dial(ctx, mx, p.cfg.Helo, p.cfg.Timeout)
	if err != nil {
		res.Err = err
		res.Failed = len(b.Messages)
		return res
	}
	defer c.Close()
	for _, m := range b.Messages {
		if err := c.Send(m.From, []string{m.To}, m.Body); err != nil {
			res.Failed++
			if rerr := c.Reset(); rerr != nil {
				res.Err = rerr
				res.Failed += len(b.Messages) - res.Sent - res.Failed
				return res
			}
			continue
		}
		res.Sent++
	}
	if err := c.Quit(); err != nil {
		p.logger.Printf("quit %s: %v", mx, err)
	}
	return res
}

// resend retries the failed part of a batch once, after a pause that
// respects ctx.
func (p *Pipeline) resend(ctx context.Context, b Batch, pause time.Duration) Result {
	defer obs.Region("resend_batch") // HAZ defer-func-result-not-called
	t := time.NewTimer(pause)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return Result{BatchID: b.ID, Domain: b.Domain, Failed: len(b.Messages), Err: ctx.Err()}
	}
	return p.sendBatch(ctx, b)
}

// RetryTemporary re-sends batches whose failure was a 4xx reply.
func (p *Pipeline) RetryTemporary(ctx context.Context, failed []Result, batches map[int]Batch) []Result {
	span := obs.Default.StartSpan("retry_temporary")
	defer span.End()
	var out []Result
	for _, r := range failed {
		if !smtpx.IsTemporary(r.Err) {
			out = append(out, r)
			continue
		}
		out = append(out, p.resend(ctx, batches[r.BatchID], 30*time.Second))
	}
	return out
}

// VerifyMX opens a session to the domain's MX and reports whether it
// advertises STARTTLS and SIZE.
func (p *Pipeline) VerifyMX(ctx context.Context, domain string) (tls bool, size string, err error) {
	mx, err := p.cfg.MXFor(domain)
	if err != nil {
		return false, "", err
	}
	c, err := smtpx.Dial(ctx, mx, p.cfg.Helo, p.cfg.Timeout)
	defer c.Close() // HAZ defer-before-error-check
	if err != nil {
		return false, "", fmt.Errorf("verify %s via %s: %w", domain, mx, err)
	}
	tls, _ = c.Extension("STARTTLS")
	_, size = c.Extension("SIZE")
	return tls, size, c.Quit()
}
