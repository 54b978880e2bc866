package main

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net"
	"sort"
	"strings"

	"example.com/newsletter/internal/scheduler"
	"example.com/newsletter/internal/sender"
	"example.com/newsletter/internal/subscribers"
	"example.com/newsletter/internal/templates"
)

const batchSize = 50

// dispatcher turns a campaign into per-domain batches for the pipeline.
type dispatcher struct {
	store    *subscribers.Store
	renderer *templates.Renderer
	pipe     *sender.Pipeline
	from     string
}

// Dispatch renders the campaign for every active subscriber and queues the
// messages grouped by recipient domain.
func (d *dispatcher) Dispatch(ctx context.Context, c *scheduler.Campaign) error {
	subs, _ := d.store.Recipients(c.ListID)
	byDomain := make(map[string][]sender.Message)
	for _, sub := range subs {
		body, err := d.render(c, sub)
		if err != nil {
			return err
		}
		byDomain[sub.Domain()] = append(byDomain[sub.Domain()], sender.Message{CampaignID: c.ID, From: d.from, To: sub.Email, Body: body})
	}
	domains := make([]string, 0, len(byDomain))
	for dom := range byDomain {
		domains = append(domains, dom)
	}
	sort.Strings(domains)
	id := 0
	for _, dom := range domains {
		msgs := byDomain[dom]
		for start := 0; start < len(msgs); start += batchSize {
			end := min(start+batchSize, len(msgs))
			id++
			if err := d.pipe.Submit(ctx, sender.Batch{ID: id, Domain: dom, Messages: msgs[start:end]}); err != nil {
				return fmt.Errorf("campaign %s: queued %d batches: %w", c.ID, id-1, err)
			}
		}
	}
	return nil
}

// DispatchTest sends one copy to a proofreader, bypassing the queue.
func (d *dispatcher) DispatchTest(ctx context.Context, c *scheduler.Campaign, to string) error {
	sub := subscribers.Subscriber{Email: to, Name: "Proofreader", ListID: c.ListID, Token: "test"}
	body, err := d.render(c, sub)
	if err != nil {
		return err
	}
	domain := sub.Domain()
	mx, err := lookupMX(domain)
	if err != nil {
		return err
	}
	b := sender.Batch{ID: -1, Domain: domain, Messages: []sender.Message{{CampaignID: c.ID, From: d.from, To: to, Body: body}}}
	results := d.pipe.SendWave(ctx, []sender.Batch{b})
	if len(results) == 1 && results[0].Err != nil {
		return fmt.Errorf("test send via %s: %w", mx, results[0].Err)
	}
	return nil
}

// render builds the full RFC 5322 message for one subscriber.
func (d *dispatcher) render(c *scheduler.Campaign, sub subscribers.Subscriber) ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "From: %s\r\nTo: %s\r\nSubject: %s\r\n", d.from, sub.Email, c.Subject)
	fmt.Fprintf(&buf, "List-Unsubscribe: <https://news.example.com/u?t=%s>\r\n", sub.Token)
	buf.WriteString("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
	buf.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
	if err := d.renderer.Render(&buf, c.Template, sub); err != nil {
		return nil, fmt.Errorf("render %s for %s: %w", c.Template, sub.Email, err)
	}
	return buf.Bytes(), nil
}

// logNotifier sends operator notifications to the log.
type logNotifier struct{ logger *log.Logger }

// Notify implements scheduler.Notifier.
func (n logNotifier) Notify(campaignID, text string) {
	n.logger.Printf("[notify] campaign %s: %s", campaignID, text)
}

// lookupMX returns host:25 of the preferred MX of domain.
func lookupMX(domain string) (string, error) {
	mxs, err := net.LookupMX(domain)
	if err != nil {
		return "", err
	}
	if len(mxs) == 0 {
		return net.JoinHostPort(domain, "25"), nil
	}
	return net.JoinHostPort(strings.TrimSuffix(mxs[0].Host, "."), "25"), nil
}
