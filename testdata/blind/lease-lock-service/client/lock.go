package client

import (
	"context"
	"errors"
	"fmt"
)

// ErrLocked is returned by TryLock when another lease holds the lock.
var ErrLocked = errors.New("client: lock is held")

// Mutex is a distributed lock held under a session's lease. If the session
// dies, the server releases the lock.
type Mutex struct {
	s   *Session
	key string
}

// NewMutex returns a mutex on key for session s.
func NewMutex(s *Session, key string) *Mutex {
	return &Mutex{s: s, key: key}
}

// Lock waits until the lock is acquired or ctx ends.
func (m *Mutex) Lock(ctx context.Context) error {
	res := make(chan error)
	go func() {
		_, err := m.s.c.do(context.Background(), fmt.Sprintf("ACQUIRE %s %d WAIT", m.key, m.s.id))
		res <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryLock acquires the lock if it is free.
func (m *Mutex) TryLock(ctx context.Context) error {
	_, err := m.s.c.do(ctx, fmt.Sprintf("ACQUIRE %s %d", m.key, m.s.id))
	var se *ServerError
	if errors.As(err, &se) && se.Msg == "held" {
		return ErrLocked
	}
	return err
}

// LockTimeout is Lock with the wait bounded by the server's own timeout
// as well as ctx; the result channel has room for the late answer.
func (m *Mutex) LockTimeout(ctx context.Context) error {
	res := make(chan error, 1)
	go func() {
		_, err := m.s.c.do(ctx, fmt.Sprintf("ACQUIRE %s %d WAIT", m.key, m.s.id))
		res <- err
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Unlock releases the lock.
func (m *Mutex) Unlock(ctx context.Context) error {
	_, err := m.s.c.do(ctx, fmt.Sprintf("RELEASE %s %d", m.key, m.s.id))
	return err
}
