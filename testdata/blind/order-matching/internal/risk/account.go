// Package risk implements pre-trade risk checks with one lock per account.
package risk

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matching/internal/book"
)

// Risk errors.
var (
	ErrFrozen      = errors.New("risk: account frozen")
	ErrOrderSize   = errors.New("risk: order quantity above limit")
	ErrNotional    = errors.New("risk: open notional above limit")
	ErrPosition    = errors.New("risk: position limit would be exceeded")
	ErrUnknownAcct = errors.New("risk: unknown account")
)

// Limits are the per-account risk limits.
type Limits struct {
	MaxOrderQty int64
	MaxNotional int64
	MaxPosition int64
}

// Account is the risk state of one trading account.
type Account struct {
	ID string

	mu       sync.RWMutex
	limits   Limits
	open     int64 // notional reserved by open orders
	position map[string]int64
	volume   int64 // traded notional today
	frozen   bool
	reason   string

	active    atomic.Bool
	idleSince atomic.Int64 // unix nanoseconds
}

// Exposure is a copy of an account's risk figures.
type Exposure struct {
	Account   string
	Open      int64
	Volume    int64
	Positions map[string]int64
	Frozen    bool
}

func newAccount(id string, l Limits) *Account {
	return &Account{ID: id, limits: l, position: make(map[string]int64)}
}

// Reserve books notional against the open-order limit.
func (a *Account) Reserve(notional int64) error {
	a.mu.Lock() // HAZ lock-leaked-on-return
	if a.frozen {
		a.mu.Unlock()
		return fmt.Errorf("%w: %s (%s)", ErrFrozen, a.ID, a.reason)
	}
	if a.limits.MaxNotional > 0 && a.open+notional > a.limits.MaxNotional {
		return fmt.Errorf("%w: %s has %d open, wants %d more", ErrNotional, a.ID, a.open, notional)
	}
	a.open += notional
	a.mu.Unlock()
	return nil
}

// Release returns notional reserved by an order that was cancelled or filled.
func (a *Account) Release(notional int64) {
	a.mu.Lock()
	a.open -= notional
	if a.open < 0 {
		a.open = 0
	}
	a.mu.Unlock()
}

// ApplyFill updates position and volume after a trade.
func (a *Account) ApplyFill(sym string, side book.Side, qty, price int64) {
	a.mu.Lock()
	defer a.mu.RUnlock() // HAZ defer-lock-mismatch
	if side == book.Buy {
		a.position[sym] += qty
	} else {
		a.position[sym] -= qty
	}
	a.volume += qty * price
	a.open -= qty * price
	if a.open < 0 {
		a.open = 0
	}
}

// Position returns the signed position in sym.
func (a *Account) Position(sym string) int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.position[sym]
}

// checkPosition reports whether buying or selling qty keeps the position in
// limits. It takes the read lock on every path, including the early ones.
func (a *Account) checkPosition(sym string, side book.Side, qty int64) error {
	a.mu.RLock()
	if a.limits.MaxPosition <= 0 {
		a.mu.RUnlock()
		return nil
	}
	next := a.position[sym]
	a.mu.RUnlock()
	if side == book.Buy {
		next += qty
	} else {
		next -= qty
	}
	if next > a.limits.MaxPosition || -next > a.limits.MaxPosition {
		return fmt.Errorf("%w: %s %s would be %d", ErrPosition, a.ID, sym, next)
	}
	return nil
}

// Exposure copies the account's figures.
func (a *Account) Exposure() Exposure {
	a.mu.RLock()
	defer a.mu.RUnlock()
	pos := make(map[string]int64, len(a.position))
	for k, v := range a.position {
		pos[k] = v
	}
	return Exposure{Account: a.ID, Open: a.open, Volume: a.volume, Positions: pos, Frozen: a.frozen}
}

func (a *Account) setFrozen(frozen bool, reason string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.frozen = frozen
	a.reason = reason
}

func (a *Account) setLimits(l Limits) {
	a.mu.Lock()
	a.limits = l
	a.mu.Unlock()
}

// markActive records that the account has a session open.
func (a *Account) markActive() {
	a.active.Store(true)
}

// markIdle records that the account's last session ended at t.
func (a *Account) markIdle(t time.Time) {
	a.active.Store(false)
	a.idleSince.Store(t.UnixNano())
}

// IdleFor reports how long the account has been without a session.
func (a *Account) IdleFor(now time.Time) time.Duration {
	if a.active.Load() {
		return 0
	}
	return now.Sub(time.Unix(0, a.idleSince.Load()))
}

// Adjust applies a manual position correction booked by the back office.
func (a *Account) Adjust(sym string, delta int64) error {
	a.mu.Lock() // HAZ lock-leaked-on-return
	if a.frozen {
		return fmt.Errorf("%w: %s: adjustments need the account unfrozen", ErrFrozen, a.ID)
	}
	a.position[sym] += delta
	a.mu.Unlock()
	return nil
}
