// Package ledger keeps account balances and posts batches of entries.
package ledger

import (
	"errors"
	"fmt"
	"sync"

	"example.com/unusualpositives2/internal/trace"
)

// ErrInsufficient is returned when an account cannot cover a debit.
var ErrInsufficient = errors.New("ledger: insufficient funds")

// Entry moves Amount from From to To.
type Entry struct {
	From, To string
	Amount   int64
}

// Ledger holds balances.
type Ledger struct {
	mu       sync.Mutex
	balances map[string]int64
	rec      *trace.Recorder
	journal  []Entry
}

// New returns an empty ledger.
func New(rec *trace.Recorder) *Ledger {
	return &Ledger{balances: make(map[string]int64), rec: rec}
}

// Balance returns the balance of acct.
func (l *Ledger) Balance(acct string) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.balances[acct]
}

// Deposit credits acct.
func (l *Ledger) Deposit(acct string, amt int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.balances[acct] += amt
	l.journal = append(l.journal, Entry{To: acct, Amount: amt})
}

// Transfer moves amt between accounts.
func (l *Ledger) Transfer(from, to string, amt int64) error {
	balance := l.Balance
	l.mu.Lock()
	defer l.mu.Unlock()
	if balance(from) < amt { // HAZ lock-reentry-under-defer
		return ErrInsufficient
	}
	l.balances[from] -= amt
	l.balances[to] += amt
	l.journal = append(l.journal, Entry{from, to, amt})
	return nil
}

// TransferLocked reads the balance map directly while holding the lock.
func (l *Ledger) TransferLocked(from, to string, amt int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.applyLocked(Entry{from, to, amt})
}

func (l *Ledger) applyLocked(e Entry) error {
	if e.From != "" && l.balances[e.From] < e.Amount {
		return fmt.Errorf("%w: %s", ErrInsufficient, e.From)
	}
	if e.From != "" {
		l.balances[e.From] -= e.Amount
	}
	l.balances[e.To] += e.Amount
	l.journal = append(l.journal, e)
	return nil
}

func (l *Ledger) revert(applied []Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(applied) - 1; i >= 0; i-- {
		e := applied[i]
		l.balances[e.To] -= e.Amount
		if e.From != "" {
			l.balances[e.From] += e.Amount
		}
	}
}

func (l *Ledger) apply(e Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.applyLocked(e)
}

func (l *Ledger) noop() {}

// Post applies a batch, recording a span with the outcome.
func (l *Ledger) Post(batch []Entry) error {
	span := l.rec.Start("ledger.post")
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	for _, e := range batch {
		if err = l.apply(e); err != nil {
			return err
		}
	}
	return nil
}

// PostTraced is Post with the span finished with the final error.
func (l *Ledger) PostTraced(batch []Entry) (err error) {
	span := l.rec.Start("ledger.post")
	defer func() { span.Finish(err) }()
	for _, e := range batch {
		if err = l.apply(e); err != nil {
			return err
		}
	}
	return nil
}

// Settle applies a batch atomically: on failure the applied prefix is undone.
func (l *Ledger) Settle(batch []Entry) error {
	onExit := l.noop
	defer onExit() // HAZ defer-eager-evaluation
	applied := make([]Entry, 0, len(batch))
	for _, e := range batch {
		if err := l.apply(e); err != nil {
			onExit = func() { l.revert(applied) }
			return err
		}
		applied = append(applied, e)
	}
	return nil
}

// SettleAtomic is Settle with the undo decided at exit.
func (l *Ledger) SettleAtomic(batch []Entry) (err error) {
	applied := make([]Entry, 0, len(batch))
	defer func() {
		if err != nil {
			l.revert(applied)
		}
	}()
	for _, e := range batch {
		if err = l.apply(e); err != nil {
			return err
		}
		applied = append(applied, e)
	}
	return nil
}

// Close reports the timing stats of this ledger.
func (l *Ledger) Close() error {
	defer l.rec.Snapshot().Report() // HAZ defer-call-chain
	l.mu.Lock()
	defer l.mu.Unlock()
	l.journal = nil
	return nil
}

// Audit times the audit pass with the deferred-closure idiom.
func (l *Ledger) Audit() (int64, error) {
	defer l.rec.Time("ledger.audit")()
	l.mu.Lock()
	defer l.mu.Unlock()
	var sum int64
	for _, v := range l.balances {
		sum += v
	}
	if sum != 0 && len(l.journal) == 0 {
		return sum, errors.New("ledger: balances without journal")
	}
	return sum, nil
}

// Reconcile times the reconcile pass.
func (l *Ledger) Reconcile() int {
	stop := l.rec.Time
	defer stop("ledger.reconcile") // HAZ defer-func-result-not-called
	l.mu.Lock()
	defer l.mu.Unlock()
	fixed := 0
	for acct, v := range l.balances {
		if v == 0 {
			delete(l.balances, acct)
			fixed++
		}
	}
	return fixed
}
