// Package bounce generates delivery status notifications (RFC 3464) for
// messages that could not be delivered, and parses the ones we receive.
package bounce

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/textproto"
	"os"
	"time"
)

// ErrNullSender is returned for messages with an empty reverse-path: a
// bounce is never bounced (RFC 5321 section 6.1).
var ErrNullSender = errors.New("bounce: null sender, not bouncing")

// Generator builds bounces.
type Generator struct {
	Hostname   string
	Postmaster string
	MaxExcerpt int // bytes of the original message to include
	Log        *log.Logger
}

// Failure describes one undeliverable recipient.
type Failure struct {
	ID        string
	From      string // original sender, the bounce recipient
	Rcpt      string
	Reason    string
	Permanent bool
	Arrived   time.Time
}

func statusCode(f Failure) (action, status string) {
	if f.Permanent {
		return "failed", "5.0.0"
	}
	return "delayed", "4.0.0"
}

func (g *Generator) writeHeaders(w io.Writer, f Failure, boundary string, now time.Time) {
	fmt.Fprintf(w, "From: Mail Delivery System <%s>\r\n", g.Postmaster)
	fmt.Fprintf(w, "To: <%s>\r\n", f.From)
	fmt.Fprintf(w, "Subject: Undelivered Mail Returned to Sender\r\n")
	fmt.Fprintf(w, "Date: %s\r\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(w, "Auto-Submitted: auto-replied\r\n")
	fmt.Fprintf(w, "MIME-Version: 1.0\r\n")
	fmt.Fprintf(w, "Content-Type: multipart/report; report-type=delivery-status; boundary=%q\r\n\r\n", boundary)
}

// Build returns the notification for f with the beginning of the original
// message attached.
func (g *Generator) Build(f Failure, original []byte, now time.Time) ([]byte, error) {
	if f.From == "" {
		return nil, ErrNullSender
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	g.writeHeaders(&buf, f, mw.Boundary(), now)

	action, status := statusCode(f)
	text, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"}})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(text, "This is the mail system at host %s.\r\n\r\n", g.Hostname)
	fmt.Fprintf(text, "Your message could not be delivered to <%s>:\r\n\r\n  %s\r\n", f.Rcpt, f.Reason)

	dsn, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"message/delivery-status"}})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(dsn, "Reporting-MTA: dns; %s\r\nArrival-Date: %s\r\n\r\n", g.Hostname, f.Arrived.Format(time.RFC1123Z))
	fmt.Fprintf(dsn, "Final-Recipient: rfc822; %s\r\nAction: %s\r\nStatus: %s\r\nDiagnostic-Code: smtp; %s\r\n", f.Rcpt, action, status, f.Reason)

	orig, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/rfc822-headers"}})
	if err != nil {
		return nil, err
	}
	if n := g.MaxExcerpt; n > 0 && len(original) > n {
		original = original[:n]
	}
	if _, err := orig.Write(original); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (g *Generator) logOutcome(id string, err error) {
	if err != nil {
		g.Log.Printf("bounce: %s: %v", id, err)
		return
	}
	g.Log.Printf("bounce: %s: generated", id)
}

// BuildLogged builds the bounce for f and logs the outcome.
func (g *Generator) BuildLogged(f Failure, original []byte) ([]byte, error) {
	var err error
	defer g.logOutcome(f.ID, err) // HAZ defer-eager-evaluation
	if len(original) == 0 {
		err = fmt.Errorf("bounce: original of %s is empty", f.ID)
		return nil, err
	}
	msg, err := g.Build(f, original, time.Now())
	return msg, err
}

// WriteFile stores a generated bounce, for mailctl bounce --dry-run.
func WriteFile(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.Write(data)
	return err
}
