// Package bounce turns delivery status notifications (RFC 3464) dropped into
// a mailbox directory into bounce records for the subscriber store.
package bounce

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strings"
)

// Event is one failed recipient extracted from a DSN.
type Event struct {
	Recipient string
	Status    string // enhanced status code, e.g. 5.1.1
	Hard      bool
	File      string
}

// String implements fmt.Stringer.
func (e Event) String() string {
	kind := "soft"
	if e.Hard {
		kind = "hard"
	}
	return fmt.Sprintf("%s %s (%s) from %s", kind, e.Recipient, e.Status, e.File)
}

// ErrNotDSN means the message has no delivery-status part.
var ErrNotDSN = errors.New("bounce: not a delivery status notification")

// ParseDSN scans a raw message for per-recipient delivery-status fields.
func ParseDSN(r io.Reader) ([]Event, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	idx := bytes.Index(data, []byte("Final-Recipient:"))
	if idx < 0 {
		return nil, ErrNotDSN
	}
	var events []Event
	for _, block := range bytes.Split(data[idx:], []byte("\n\n")) {
		tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(block, '\n', '\n'))))
		hdr, err := tp.ReadMIMEHeader()
		if err != nil && !errors.Is(err, io.EOF) {
			return events, err
		}
		rcpt := hdr.Get("Final-Recipient")
		if rcpt == "" {
			continue
		}
		if _, addr, ok := strings.Cut(rcpt, ";"); ok {
			rcpt = addr
		}
		status := strings.TrimSpace(hdr.Get("Status"))
		events = append(events, Event{
			Recipient: strings.ToLower(strings.TrimSpace(rcpt)),
			Status:    status,
			Hard:      classify(status),
		})
	}
	if len(events) == 0 {
		return nil, ErrNotDSN
	}
	return events, nil
}

// classify reports whether an enhanced status code is a permanent failure.
func classify(status string) bool {
	if strings.HasPrefix(status, "5.") {
		// 5.2.2 mailbox full is treated as soft by most senders.
		return status != "5.2.2"
	}
	return false
}

// parseLoose is the fallback for non-standard bounces from old MTAs that only
// put the address in the subject line.
func parseLoose(subject string) (ev Event, ok bool) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	open := strings.IndexByte(subject, '<')
	end := strings.IndexByte(subject[open:], '>')
	ev.Recipient = strings.ToLower(subject[open+1 : open+end])
	ev.Hard = strings.Contains(strings.ToLower(subject), "permanent")
	return ev, ev.Recipient != ""
}

// SubjectOf returns the Subject header of a raw message, or "".
func SubjectOf(data []byte) string {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
	hdr, err := tp.ReadMIMEHeader()
	if err != nil && len(hdr) == 0 {
		return ""
	}
	return hdr.Get("Subject")
}
