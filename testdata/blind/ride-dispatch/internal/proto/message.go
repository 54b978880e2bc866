// Package proto implements the line protocol spoken by the driver app over a
// long-lived TCP connection:
//
//	HELLO <driver-id> <token>
//	LOC <lat> <lng> <unix-ms>
//	AVAIL 0|1
//	ACK <offer-id> accept|reject
//	PING
//
// The server answers with OFFER, WITHDRAW, PONG, KICK and BYE lines.
package proto

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"example.com/dispatch/internal/geo"
)

// Kind is the verb of a client line.
type Kind int

const (
	KindHello Kind = iota + 1
	KindLoc
	KindAvail
	KindAck
	KindPing
)

// Message is one parsed client line.
type Message struct {
	Kind      Kind
	DriverID  string
	Token     string
	Pos       geo.Point
	At        time.Time
	Available bool
	OfferID   string
	Accept    bool
}

// ErrMalformed wraps every parse failure.
var ErrMalformed = errors.New("proto: malformed line")

// ParseLine parses one line without its trailing newline.
func ParseLine(line string) (Message, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return Message{}, fmt.Errorf("%w: empty", ErrMalformed)
	}
	switch f[0] {
	case "HELLO":
		if len(f) != 3 {
			return Message{}, fmt.Errorf("%w: HELLO wants 2 fields", ErrMalformed)
		}
		return Message{Kind: KindHello, DriverID: f[1], Token: f[2]}, nil
	case "LOC":
		if len(f) != 4 {
			return Message{}, fmt.Errorf("%w: LOC wants 3 fields", ErrMalformed)
		}
		p, err := parsePoint(f[1], f[2])
		if err != nil {
			return Message{}, err
		}
		ms, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return Message{}, fmt.Errorf("%w: timestamp: %v", ErrMalformed, err)
		}
		return Message{Kind: KindLoc, Pos: p, At: time.UnixMilli(ms)}, nil
	case "AVAIL":
		if len(f) != 2 || (f[1] != "0" && f[1] != "1") {
			return Message{}, fmt.Errorf("%w: AVAIL wants 0 or 1", ErrMalformed)
		}
		return Message{Kind: KindAvail, Available: f[1] == "1"}, nil
	case "ACK":
		if len(f) != 3 || (f[2] != "accept" && f[2] != "reject") {
			return Message{}, fmt.Errorf("%w: ACK wants <offer> accept|reject", ErrMalformed)
		}
		return Message{Kind: KindAck, OfferID: f[1], Accept: f[2] == "accept"}, nil
	case "PING":
		return Message{Kind: KindPing}, nil
	}
	return Message{}, fmt.Errorf("%w: unknown verb %q", ErrMalformed, f[0])
}

func parsePoint(lat, lng string) (geo.Point, error) {
	la, err := strconv.ParseFloat(lat, 64)
	if err != nil {
		return geo.Point{}, fmt.Errorf("%w: lat: %v", ErrMalformed, err)
	}
	ln, err := strconv.ParseFloat(lng, 64)
	if err != nil {
		return geo.Point{}, fmt.Errorf("%w: lng: %v", ErrMalformed, err)
	}
	p := geo.Point{Lat: la, Lng: ln}
	if !p.Valid() {
		return geo.Point{}, fmt.Errorf("%w: point %s out of range", ErrMalformed, p)
	}
	return p, nil
}

// FormatOffer renders the OFFER line sent to a driver.
func FormatOffer(offerID, tripID string, pickup geo.Point, fareCents int64, ttl time.Duration) string {
	return fmt.Sprintf("OFFER %s %s %s %d %d", offerID, tripID, pickup, fareCents, ttl.Milliseconds())
}
