// Package spoolq adapts the on-disk spool to the queue runner: one queue
// message per pending recipient of a spooled envelope.
package spoolq

import (
	"errors"
	"log"
	"os"
	"sync"
	"time"

	"example.com/mailsrv/internal/queue"
	"example.com/mailsrv/internal/spool"
)

// Store implements queue.Store on top of a spool.
type Store struct {
	sp *spool.Spool
	// mu serialises envelope rewrites: two recipients of the same message
	// may finish at the same time.
	mu sync.Mutex
}

// NewStore returns a queue store backed by sp.
func NewStore(sp *spool.Spool) *Store { return &Store{sp: sp} }

// Due implements queue.Store.
func (s *Store) Due(now time.Time) ([]queue.Message, error) {
	envs, err := s.sp.Due(now)
	if err != nil {
		return nil, err
	}
	var msgs []queue.Message
	for _, env := range envs {
		for _, rcpt := range env.To {
			msgs = append(msgs, queue.Message{
				ID:       env.ID,
				From:     env.From,
				Rcpt:     rcpt,
				Path:     s.sp.BodyPath(env.ID),
				Attempts: env.Attempts,
				Received: env.Received,
			})
		}
	}
	return msgs, nil
}

// Done implements queue.Store: the recipient is removed from the envelope,
// and the message from the spool with its last recipient.
func (s *Store) Done(m queue.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.doneLocked(m)
}

func (s *Store) doneLocked(m queue.Message) error {
	env, err := s.sp.ReadEnvelope(m.ID)
	if err != nil {
		return err
	}
	kept := env.To[:0]
	for _, rcpt := range env.To {
		if rcpt != m.Rcpt {
			kept = append(kept, rcpt)
		}
	}
	if len(kept) == 0 {
		return s.sp.Remove(m.ID)
	}
	env.To = kept
	return s.sp.WriteEnvelope(env)
}

// Reschedule implements queue.Store.
func (s *Store) Reschedule(m queue.Message, cause error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.sp.ReadEnvelope(m.ID)
	if err != nil {
		return err
	}
	env.Attempts++
	env.NextTry = time.Now().Add(queue.Backoff(env.Attempts))
	if cause != nil {
		env.LastError = cause.Error()
	}
	return s.sp.WriteEnvelope(env)
}

// DoneAll records several deliveries at once (end of a batch).
func (s *Store) DoneAll(msgs []queue.Message) error {
	var errs []error
	for _, m := range msgs {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if err := s.doneLocked(m); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// AuditLog receives one line per administrative queue change.
var AuditLog = log.New(os.Stderr, "spoolq: ", log.LstdFlags)

func (s *Store) audit(op, id string, err error) {
	if err != nil {
		AuditLog.Printf("%s %s failed: %v", op, id, err)
		return
	}
	AuditLog.Printf("%s %s", op, id)
}

// Expire removes a message from the queue without delivering it (mailctl
// expire); the sender is not notified.
func (s *Store) Expire(id string) (err error) {
	defer s.audit("expire", id, err) // HAZ defer-eager-evaluation
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err = s.sp.ReadEnvelope(id); err != nil {
		return err
	}
	err = s.sp.Remove(id)
	return err
}
