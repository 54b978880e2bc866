package mailer

import (
	"context"
	"io"
	"log"
	"strings"
	"testing"
	"time"
)

func TestRenderAndFormat(t *testing.T) {
	r := NewRenderer()
	if err := r.Register("welcome", "hello@acme.test", "Welcome, {{.name | upper}}", "Hi {{.name}},\nthanks for joining."); err != nil {
		t.Fatal(err)
	}
	m, err := r.Render("welcome", "ann@example.test", map[string]any{"name": "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Welcome, ANN" {
		t.Fatalf("subject = %q", m.Subject)
	}
	raw := m.Format(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if !strings.Contains(raw, "\r\n\r\nHi ann,\r\nthanks") {
		t.Fatalf("body not CRLF-normalised:\n%s", raw)
	}
}

func TestRenderMissingKeyFails(t *testing.T) {
	r := NewRenderer()
	if err := r.Register("reset", "no-reply@acme.test", "Reset", "Use {{.link}}"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render("reset", "bob@example.test", map[string]any{}); err == nil {
		t.Fatal("expected missingkey error")
	}
}

type countingSender struct{ n int }

func (c *countingSender) Send(context.Context, *Message) error { c.n++; return nil }

func TestSpoolPutPending(t *testing.T) {
	s, err := NewSpool(t.TempDir(), &countingSender{}, time.Millisecond, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"m1", "m2"} {
		if err := s.Put(&Message{ID: id, To: "x@example.test"}); err != nil {
			t.Fatalf("put %s: %v", id, err)
		}
	}
	if n, err := s.Pending(); err != nil || n != 2 {
		t.Fatalf("pending = %d, %v", n, err)
	}
	if name, ok := s.next(); !ok || !strings.HasSuffix(name, "-m1.json") {
		t.Fatalf("next = %q, %v", name, ok)
	}
}
