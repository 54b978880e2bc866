// Package queue runs deliveries of spooled messages: scheduling, per-domain
// concurrency limits, retries with backoff and bounces of expired mail.
package queue

import (
	"strings"
	"time"
)

// Message is one recipient of one spooled message.
type Message struct {
	ID       string
	From     string
	Rcpt     string
	Path     string // body file
	Attempts int
	Received time.Time
}

// Domain returns the recipient domain, lower-cased.
func (m Message) Domain() string {
	at := strings.LastIndexByte(m.Rcpt, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(m.Rcpt[at+1:])
}

// Expired reports whether the message has been queued longer than maxAge.
func (m Message) Expired(now time.Time, maxAge time.Duration) bool {
	return maxAge > 0 && now.Sub(m.Received) > maxAge
}

// Backoff returns the delay before the next attempt: 1m, 2m, 4m, ... capped
// at 4h.
func Backoff(attempts int) time.Duration {
	if attempts <= 0 {
		return time.Minute
	}
	if attempts > 8 {
		return 4 * time.Hour
	}
	return min(time.Minute<<attempts, 4*time.Hour)
}
