// Package ledger keeps account balances and a journal of postings.
package ledger

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrOverdraft is returned when a debit would take an account below its limit.
var ErrOverdraft = errors.New("ledger: overdraft limit exceeded")

// Entry is one journal line.
type Entry struct {
	Account string
	Amount  int64
	At      time.Time
}

// Ledger is safe for concurrent use.
type Ledger struct {
	mu       sync.Mutex
	balances map[string]int64
	journal  []Entry
	policy   Policy
	watch    BalanceWatcher
	now      func() time.Time
}

// New returns an empty ledger that enforces policy on debits and tells
// watch about manual adjustments.
func New(policy Policy, watch BalanceWatcher) *Ledger {
	return &Ledger{balances: make(map[string]int64), policy: policy, watch: watch, now: time.Now}
}

// Balance returns the balance of acct.
func (l *Ledger) Balance(acct string) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.balances[acct]
}

// postLocked appends a journal entry and moves the balance; l.mu must be held.
func (l *Ledger) postLocked(acct string, amount int64) {
	l.balances[acct] += amount
	l.journal = append(l.journal, Entry{Account: acct, Amount: amount, At: l.now()})
}

// Credit adds amount to acct.
func (l *Ledger) Credit(acct string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("ledger: credit of %d", amount)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.postLocked(acct, amount)
	return nil
}

// Debit takes amount from acct if the policy allows it.
func (l *Ledger) Debit(acct string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("ledger: debit of %d", amount)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.policy.Allow(l, acct, amount); err != nil { // HAZ lock-reentry-under-defer
		return fmt.Errorf("debit %s: %w", acct, err)
	}
	l.postLocked(acct, -amount)
	return nil
}

// Transfer moves amount between two accounts atomically. The limit check
// reads the balance map directly because l.mu is already held.
func (l *Ledger) Transfer(from, to string, amount int64, limit int64) error {
	if amount <= 0 {
		return fmt.Errorf("ledger: transfer of %d", amount)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.balances[from]-amount < -limit {
		return fmt.Errorf("transfer %s -> %s: %w", from, to, ErrOverdraft)
	}
	l.postLocked(from, -amount)
	l.postLocked(to, amount)
	return nil
}

// Adjust posts a manual correction; the watcher looks at the account once
// the correction is in.
func (l *Ledger) Adjust(acct string, amount int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.watch.Changed(l, acct) // HAZ defer-blocking-call lock-reentry-under-defer
	l.postLocked(acct, amount)
}

// Journal returns a copy of the journal.
func (l *Ledger) Journal() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.journal...)
}
