// Package subscription stores webhook subscriptions (one JSON file each) and
// serves the management API.
package subscription

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"time"
)

var (
	ErrNotFound = errors.New("subscription: not found")
	ErrInvalid  = errors.New("subscription: invalid")
)

// Subscription is one endpoint receiving a set of event types for a tenant.
type Subscription struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"tenant_id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Secret    string    `json:"secret"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Matches reports whether the subscription wants event. Patterns use
// path.Match syntax on dotted names ("invoice.*").
func (s Subscription) Matches(event string) bool {
	if !s.Active {
		return false
	}
	for _, pattern := range s.Events {
		if pattern == "*" || pattern == event {
			return true
		}
		if ok, err := path.Match(pattern, event); err == nil && ok {
			return true
		}
	}
	return false
}

// Validate checks the fields a client can set.
func (s Subscription) Validate() error {
	if s.TenantID == "" {
		return fmt.Errorf("%w: missing tenant", ErrInvalid)
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		return fmt.Errorf("%w: url: %v", ErrInvalid, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("%w: url scheme %q", ErrInvalid, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: url has no host", ErrInvalid)
	}
	if len(s.Events) == 0 {
		return fmt.Errorf("%w: no events", ErrInvalid)
	}
	for _, e := range s.Events {
		if _, err := path.Match(e, ""); err != nil {
			return fmt.Errorf("%w: event pattern %q", ErrInvalid, e)
		}
	}
	return nil
}

// NewID returns a random identifier for subscriptions and deliveries.
func NewID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic("subscription: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}
