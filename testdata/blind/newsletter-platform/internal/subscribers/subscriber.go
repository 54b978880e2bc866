// Package subscribers keeps mailing lists in memory and persists them as
// JSON snapshots.
package subscribers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Status is the delivery state of a subscriber.
type Status int

const (
	Active Status = iota
	Unsubscribed
	Bounced
)

// String implements fmt.Stringer.
func (s Status) String() string {
	switch s {
	case Active:
		return "active"
	case Unsubscribed:
		return "unsubscribed"
	case Bounced:
		return "bounced"
	default:
		return fmt.Sprintf("status(%d)", int(s))
	}
}

// Subscriber is one address on one list.
type Subscriber struct {
	Email       string    `json:"email"`
	Name        string    `json:"name,omitempty"`
	ListID      string    `json:"list"`
	Status      Status    `json:"status"`
	BounceCount int       `json:"bounces,omitempty"`
	Token       string    `json:"token"`
	CreatedAt   time.Time `json:"created_at"`
}

// ErrNoList is returned for unknown list ids.
var ErrNoList = errors.New("subscribers: no such list")

// ErrBadToken is returned when an unsubscribe token matches nobody.
var ErrBadToken = errors.New("subscribers: unknown token")

// Domain returns the lower-cased domain part of the address.
func (s Subscriber) Domain() string {
	at := strings.LastIndexByte(s.Email, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(s.Email[at+1:])
}

// NormalizeEmail parses an address and lower-cases its domain.
func NormalizeEmail(addr string) (string, error) {
	parsed, err := mail.ParseAddress(strings.TrimSpace(addr))
	if err != nil {
		return "", fmt.Errorf("subscribers: invalid address %q: %w", addr, err)
	}
	at := strings.LastIndexByte(parsed.Address, '@')
	if at <= 0 {
		return "", fmt.Errorf("subscribers: address %q has no domain", addr)
	}
	return parsed.Address[:at] + "@" + strings.ToLower(parsed.Address[at+1:]), nil
}

// NewToken derives the stable unsubscribe token for an address on a list.
func NewToken(listID, email string, secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(listID))
	mac.Write([]byte{0})
	mac.Write([]byte(email))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}
