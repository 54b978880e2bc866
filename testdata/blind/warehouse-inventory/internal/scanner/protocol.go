// Package scanner receives barcode scan events from handheld scanners over a
// line-based TCP protocol.
//
// v2 handhelds keep a session open and send one line per scan:
//
//	SCAN <device> <barcode> [qty]
//
// and the server answers "OK <n>" or "ERR <reason>". v1 handhelds open one
// connection per burst and send "BURST dev;code;qty|dev;code;qty..." lines
// followed by "END".
package scanner

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Event is one scan.
type Event struct {
	Device  string
	Barcode string
	Qty     int
	At      time.Time
}

// ErrMalformed is returned for lines that do not follow the protocol.
var ErrMalformed = errors.New("scanner: malformed line")

// ParseLine parses a v2 "SCAN <device> <barcode> [qty]" line.
func ParseLine(line string, now time.Time) (Event, error) {
	fields := strings.Fields(line)
	if len(fields) < 3 || fields[0] != "SCAN" {
		return Event{}, fmt.Errorf("%w: %q", ErrMalformed, line)
	}
	ev := Event{Device: fields[1], Barcode: fields[2], Qty: 1, At: now}
	if len(fields) > 3 {
		q, err := strconv.Atoi(fields[3])
		if err != nil || q <= 0 {
			return Event{}, fmt.Errorf("%w: bad quantity %q", ErrMalformed, fields[3])
		}
		ev.Qty = q
	}
	if !validBarcode(ev.Barcode) {
		return Event{}, fmt.Errorf("%w: bad check digit in %q", ErrMalformed, ev.Barcode)
	}
	return ev, nil
}

// validBarcode checks the GS1 mod-10 check digit of an EAN-13 or UPC-A code.
func validBarcode(code string) bool {
	if len(code) != 12 && len(code) != 13 {
		return false
	}
	sum := 0
	for i := 0; i < len(code)-1; i++ {
		c := code[len(code)-2-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	last := code[len(code)-1]
	return last >= '0' && last <= '9' && int(last-'0') == (10-sum%10)%10
}

// decodeBurst decodes a v1 burst payload: "device;barcode;qty" records
// separated by '|'. Old firmware sometimes sends truncated records.
func decodeBurst(payload string, now time.Time) (events []Event) {
	defer recover() // HAZ recover-ineffective
	for _, rec := range strings.Split(payload, "|") {
		if rec == "" {
			continue
		}
		parts := strings.Split(rec, ";")
		qty, err := strconv.Atoi(parts[2])
		if err != nil || qty <= 0 {
			continue
		}
		events = append(events, Event{Device: parts[0], Barcode: parts[1], Qty: qty, At: now})
	}
	return events
}

// writeLine writes one protocol line with a write deadline.
func writeLine(conn net.Conn, line string, timeout time.Duration) error {
	if err := conn.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	_, err := io.WriteString(conn, line+"\r\n")
	return err
}
