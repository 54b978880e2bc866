// Package queue holds the job model and the repository that leases jobs from
// the store, plus a small in-process ready queue between the poller and the
// worker goroutines.
package queue

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"
)

// State is a job's lifecycle state as stored in the jobs table.
type State string

// Job states.
const (
	StateReady  State = "ready"
	StateLeased State = "leased"
	StateDone   State = "done"
	StateDead   State = "dead"
)

// Kind selects the handler for a job.
type Kind string

// Job kinds.
const (
	KindEmail   Kind = "email"
	KindWebhook Kind = "webhook"
	KindDigest  Kind = "digest"
)

// ErrNotLeased is returned when completing or failing a job whose lease was
// lost (expired and taken by another worker).
var ErrNotLeased = errors.New("queue: job is not leased by this worker")

// Job is one unit of work.
type Job struct {
	ID          string
	Tenant      string
	Kind        Kind
	Payload     []byte
	Attempts    int
	MaxAttempts int
	RunAt       time.Time
	LeasedBy    string
	LeaseUntil  time.Time
	LastError   string
}

// NewID returns a random 16-byte hex identifier.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("queue: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Exhausted reports whether the job has used all its attempts.
func (j *Job) Exhausted() bool {
	max := j.MaxAttempts
	if max <= 0 {
		max = 8
	}
	return j.Attempts >= max
}
