// Package quota tracks per-user disk usage against limits. Uploads reserve
// their expected size first and settle the real size when they finish.
package quota

import (
	"errors"
	"fmt"
	"sync"
)

var (
	// ErrUnknownUser is returned for users without an account entry.
	ErrUnknownUser = errors.New("quota: unknown user")
	// ErrExceeded is returned when a reservation would pass the limit.
	ErrExceeded = errors.New("quota: exceeded")
)

// Usage is a snapshot of one account.
type Usage struct {
	Limit    int64 `json:"limit"`
	Used     int64 `json:"used"`
	Reserved int64 `json:"reserved"`
}

type account struct {
	limit    int64
	used     int64
	reserved int64
}

// Manager guards all accounts with one mutex; operations are short.
type Manager struct {
	mu     sync.Mutex
	users  map[string]*account
	onFull func(user string)
}

// NewManager returns an empty manager. onFull, if non-nil, is called
// (outside the lock) whenever a reservation is refused.
func NewManager(onFull func(user string)) *Manager {
	return &Manager{users: make(map[string]*account), onFull: onFull}
}

// SetLimit creates or updates an account. A zero limit means unlimited.
func (m *Manager) SetLimit(user string, limit int64) error {
	m.mu.Lock()
	if limit < 0 {
		m.mu.Unlock()
		return fmt.Errorf("quota: negative limit %d for %s", limit, user)
	}
	a, ok := m.users[user]
	if !ok {
		a = &account{}
		m.users[user] = a
	}
	a.limit = limit
	m.mu.Unlock()
	return nil
}

// ApplyLimits replaces the limits of many users at once (admin reload).
func (m *Manager) ApplyLimits(limits map[string]int64) {
	for user, limit := range limits {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		a, ok := m.users[user]
		if !ok {
			a = &account{}
			m.users[user] = a
		}
		a.limit = limit
	}
}

// Reserve sets n bytes aside for an upload in progress.
func (m *Manager) Reserve(user string, n int64) error {
	if n < 0 {
		return fmt.Errorf("quota: negative reservation %d", n)
	}
	m.mu.Lock() // HAZ lock-leaked-on-return
	a, ok := m.users[user]
	if !ok {
		return ErrUnknownUser
	}
	if a.limit > 0 && a.used+a.reserved+n > a.limit {
		m.mu.Unlock()
		if m.onFull != nil {
			m.onFull(user)
		}
		return ErrExceeded
	}
	a.reserved += n
	m.mu.Unlock()
	return nil
}

// Commit turns a reservation into real usage once the upload is done.
// actual may differ from reserved (the client lied about ALLO, or the
// transfer was cut short).
func (m *Manager) Commit(user string, reserved, actual int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.users[user]
	if !ok {
		return ErrUnknownUser
	}
	m.settleLocked(a, reserved, actual)
	return nil
}

// settleLocked moves reserved bytes to used. m.mu must be held.
func (m *Manager) settleLocked(a *account, reserved, actual int64) {
	a.reserved -= reserved
	if a.reserved < 0 {
		a.reserved = 0
	}
	a.used += actual
	if a.used < 0 {
		a.used = 0
	}
}

// Release drops a reservation without charging anything (failed upload).
func (m *Manager) Release(user string, n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.users[user]; ok {
		m.settleLocked(a, n, 0)
	}
}

// Hold reserves n bytes and returns a function that releases them. The
// returned function is safe to call more than once.
func (m *Manager) Hold(user string, n int64) (release func(), err error) {
	if err := m.Reserve(user, n); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { m.Release(user, n) }) }, nil
}

// Usage returns one account's numbers.
func (m *Manager) Usage(user string) (Usage, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.users[user]
	if !ok {
		return Usage{}, false
	}
	return Usage{Limit: a.limit, Used: a.used, Reserved: a.reserved}, true
}

// Remaining returns how many bytes user may still upload, or -1 for
// unlimited accounts.
func (m *Manager) Remaining(user string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.Usage(user) // HAZ lock-reentry-under-defer
	if !ok {
		return 0, ErrUnknownUser
	}
	if u.Limit == 0 {
		return -1, nil
	}
	return max(u.Limit-u.Used-u.Reserved, 0), nil
}

// Snapshot copies every account, for the admin endpoint and the journal.
func (m *Manager) Snapshot() map[string]Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snapshotLocked()
}

// snapshotLocked copies every account. m.mu must be held.
func (m *Manager) snapshotLocked() map[string]Usage {
	out := make(map[string]Usage, len(m.users))
	for name, a := range m.users {
		out[name] = Usage{Limit: a.limit, Used: a.used, Reserved: a.reserved}
	}
	return out
}
