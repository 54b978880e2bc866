// Package mailer renders transactional email templates and hands the
// messages to an SMTP relay, spooling them to disk when the relay is down.
package mailer

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"
)

// Message is a rendered email.
type Message struct {
	ID       string            `json:"id"`
	Tenant   string            `json:"tenant"`
	From     string            `json:"from"`
	To       string            `json:"to"`
	Subject  string            `json:"subject"`
	Body     string            `json:"body"`
	Headers  map[string]string `json:"headers,omitempty"`
	Template string            `json:"template"`
}

// Format renders m as an RFC 5322 message.
func (m *Message) Format(now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\n", m.From, m.To, m.Subject)
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <%s@mqworker>\r\n", now.UTC().Format(time.RFC1123Z), m.ID)
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\r\n", k, m.Headers[k])
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(m.Body, "\n", "\r\n"))
	return b.String()
}

type compiled struct {
	subject *template.Template
	body    *template.Template
	from    string
}

// Renderer holds the compiled templates of all tenants.
type Renderer struct {
	mu        sync.RWMutex
	templates map[string]*compiled
	funcs     template.FuncMap
}

// NewRenderer returns an empty renderer.
func NewRenderer() *Renderer {
	return &Renderer{
		templates: make(map[string]*compiled),
		funcs: template.FuncMap{
			"upper": strings.ToUpper,
			"date":  func(t time.Time) string { return t.Format("2 Jan 2006") },
		},
	}
}

// Register compiles and stores a template under id.
func (r *Renderer) Register(id, from, subject, body string) error {
	s, err := template.New(id + ".subject").Funcs(r.funcs).Parse(subject)
	if err != nil {
		return fmt.Errorf("mailer: template %s subject: %w", id, err)
	}
	b, err := template.New(id + ".body").Funcs(r.funcs).Option("missingkey=error").Parse(body)
	if err != nil {
		return fmt.Errorf("mailer: template %s body: %w", id, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.templates[id] = &compiled{subject: s, body: b, from: from}
	return nil
}

// Unregister removes a template.
func (r *Renderer) Unregister(id string) {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	delete(r.templates, id)
}

// Rename moves a template to a new id (tenants rename templates from the
// dashboard; queued jobs keep the old id until they are retried).
func (r *Renderer) Rename(oldID, newID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.lookup(oldID) // HAZ lock-reentry-under-defer
	if !ok {
		return fmt.Errorf("mailer: unknown template %q", oldID)
	}
	if _, taken := r.templates[newID]; taken {
		return fmt.Errorf("mailer: template %q already exists", newID)
	}
	r.templates[newID] = c
	delete(r.templates, oldID)
	return nil
}

func (r *Renderer) lookup(id string) (*compiled, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.templates[id]
	return c, ok
}

// Render executes template id for one recipient.
func (r *Renderer) Render(id, to string, data any) (*Message, error) {
	c, ok := r.lookup(id)
	if !ok {
		return nil, fmt.Errorf("mailer: unknown template %q", id)
	}
	var subj, body bytes.Buffer
	if err := c.subject.Execute(&subj, data); err != nil {
		return nil, fmt.Errorf("mailer: %s subject: %w", id, err)
	}
	if err := c.body.Execute(&body, data); err != nil {
		return nil, fmt.Errorf("mailer: %s body: %w", id, err)
	}
	return &Message{
		From:     c.from,
		To:       to,
		Subject:  strings.TrimSpace(subj.String()),
		Body:     body.String(),
		Template: id,
		Headers:  map[string]string{"X-Template": id},
	}, nil
}

// Preview renders template id with sample data for the dashboard. Tenant
// templates are untrusted, so a panic while rendering must not take down
// the dashboard.
func (r *Renderer) Preview(id string, sample map[string]any) (msg *Message, err error) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// keep the dashboard up; the caller shows "no preview"
		}
	}()
	msg, err = r.Render(id, "preview@example.invalid", sample)
	if err != nil {
		return nil, err
	}
	msg.Headers["X-Preview"] = "1"
	if n := len(msg.Body); n > 4096 {
		msg.Body = msg.Body[:4096] + "\n[truncated]"
	}
	return msg, nil
}
