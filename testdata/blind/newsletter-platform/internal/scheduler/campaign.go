// Package scheduler fires campaigns at their scheduled time and drives them
// through the send pipeline, with cancellation through contexts.
package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Status is a campaign's lifecycle state.
type Status string

const (
	StatusScheduled Status = "scheduled"
	StatusSending   Status = "sending"
	StatusSent      Status = "sent"
	StatusFailed    Status = "failed"
	StatusCancelled Status = "cancelled"
)

// Campaign is one scheduled mailing.
type Campaign struct {
	ID       string
	ListID   string
	Template string
	Subject  string
	SendAt   time.Time
	Status   Status
}

// ErrUnknown is returned for campaign ids the scheduler does not know.
var ErrUnknown = errors.New("scheduler: unknown campaign")

// Validate checks the fields a campaign needs before it can be scheduled.
func (c *Campaign) Validate() error {
	var problems []string
	if c.ID == "" {
		problems = append(problems, "missing id")
	}
	if c.ListID == "" {
		problems = append(problems, "missing list")
	}
	if strings.TrimSpace(c.Subject) == "" {
		problems = append(problems, "empty subject")
	}
	if c.Template == "" {
		problems = append(problems, "missing template")
	}
	if len(problems) > 0 {
		return fmt.Errorf("campaign %q: %s", c.ID, strings.Join(problems, ", "))
	}
	return nil
}

// backoff returns the pause before retry attempt n (1-based), capped.
func backoff(n int) time.Duration {
	d := time.Duration(1<<uint(n)) * time.Second
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	return d
}
