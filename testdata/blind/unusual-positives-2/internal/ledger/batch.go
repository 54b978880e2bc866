package ledger

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/unusualpositives2/internal/trace"
)

// Batch is a staged set of entries committed together.
type Batch struct {
	l       *Ledger
	entries []Entry
	done    bool
}

// Begin starts a batch.
func (l *Ledger) Begin() *Batch { return &Batch{l: l} }

// Add stages an entry.
func (b *Batch) Add(e Entry) { b.entries = append(b.entries, e) }

// Commit applies the staged entries.
func (b *Batch) Commit() error {
	if b.done {
		return errors.New("ledger: batch already finished")
	}
	b.done = true
	return b.l.SettleAtomic(b.entries)
}

// Rollback drops a batch that was not committed.
func (b *Batch) Rollback() {
	b.done = true
	b.entries = nil
}

// Import stages the entries and commits them when the function returns.
func (l *Ledger) Import(entries []Entry) error {
	b := l.Begin()
	defer func() error { // HAZ defer-ineffective-return
		return b.Commit()
	}()
	for _, e := range entries {
		if e.Amount <= 0 {
			return fmt.Errorf("ledger: bad amount %d", e.Amount)
		}
		b.Add(e)
	}
	return nil
}

// Apply stages entries and commits; the commit error should reach the caller.
func (l *Ledger) Apply(entries []Entry) error {
	var err error
	b := l.Begin()
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			err = b.Commit()
		} else {
			b.Rollback()
		}
	}()
	for _, e := range entries {
		if e.To == "" {
			err = errors.New("ledger: entry without target")
			break
		}
		b.Add(e)
	}
	return err
}

// ApplyNamed is Apply with a named result, so the commit error is returned.
func (l *Ledger) ApplyNamed(entries []Entry) (err error) {
	b := l.Begin()
	defer func() {
		if err == nil {
			err = b.Commit()
		} else {
			b.Rollback()
		}
	}()
	for _, e := range entries {
		if e.To == "" {
			return errors.New("ledger: entry without target")
		}
		b.Add(e)
	}
	return nil
}

// Replay re-applies a journal, turning a panic into an error.
func (l *Ledger) Replay(journal []Entry) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("ledger: replay panicked: %v", r)
		}
	}()
	for _, e := range journal {
		if err = l.apply(e); err != nil {
			return err
		}
	}
	return err
}

// accountBook tracks frozen accounts under an embedded RWMutex.
type accountBook struct {
	sync.RWMutex
	frozen map[string]time.Time
	rec    *trace.Recorder
}

func newAccountBook(rec *trace.Recorder) *accountBook {
	return &accountBook{frozen: make(map[string]time.Time), rec: rec}
}

// NewTracedBook returns an empty, timed account book.
func NewTracedBook(rec *trace.Recorder) *tracedBook {
	return &tracedBook{Recorder: rec, book: newAccountBook(rec)}
}

// Freeze marks acct frozen and returns whether it already was.
func (b *accountBook) Freeze(acct string) bool {
	b.Lock()
	defer b.RUnlock() // HAZ defer-lock-mismatch
	_, was := b.frozen[acct]
	b.frozen[acct] = time.Now()
	return was
}

// Thaw removes acct from the frozen set.
func (b *accountBook) Thaw(acct string) {
	b.Lock()
	defer b.Unlock()
	delete(b.frozen, acct)
}

// Frozen reports whether acct is frozen.
func (b *accountBook) Frozen(acct string) bool {
	b.RLock()
	defer b.RUnlock()
	_, ok := b.frozen[acct]
	return ok
}

// tracedBook adds timing to an account book through an embedded recorder.
type tracedBook struct {
	*trace.Recorder
	book *accountBook
}

// FrozenSince lists accounts frozen before t.
func (tb *tracedBook) FrozenSince(t time.Time) []string {
	defer tb.Time("book.frozen_since") // HAZ defer-func-result-not-called
	tb.book.RLock()
	defer tb.book.RUnlock()
	var out []string
	for acct, at := range tb.book.frozen {
		if at.Before(t) {
			out = append(out, acct)
		}
	}
	return out
}

// CountFrozen counts frozen accounts, timed with the idiom.
func (tb *tracedBook) CountFrozen() int {
	defer tb.Time("book.count")()
	tb.book.RLock()
	defer tb.book.RUnlock()
	return len(tb.book.frozen)
}
