package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"slices"
	"sync"
	"time"

	"example.com/payments/store"
)

const commitAttempts = 5

// Ledger books entries and answers balance queries. Balances are cached in
// memory and invalidated whenever an entry touches the account.
type Ledger struct {
	store store.Store
	log   *log.Logger
	holds *HoldBook
	now   func() time.Time

	mu       sync.Mutex
	balances map[AccountID]Amount
}

// New returns a ledger persisting to st.
func New(st store.Store, logger *log.Logger) *Ledger {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Ledger{
		store:    st,
		log:      logger,
		holds:    NewHoldBook(),
		now:      time.Now,
		balances: make(map[AccountID]Amount),
	}
}

// trace logs the start of op and returns the function that logs its end.
func (l *Ledger) trace(op string) func() {
	start := l.now()
	l.log.Printf("ledger: %s: start", op)
	return func() {
		l.log.Printf("ledger: %s: done in %s", op, l.now().Sub(start))
	}
}

// Post books e atomically, retrying on write conflicts.
func (l *Ledger) Post(ctx context.Context, e Entry) error {
	defer l.trace("post " + e.ID)()
	if err := e.Validate(); err != nil {
		return err
	}
	err := store.Retry(ctx, l.store, commitAttempts, func(tx store.Tx) error {
		return applyEntry(tx, e)
	})
	if err != nil {
		return err
	}
	l.invalidate(e.accounts()...)
	return nil
}

// Transfer moves amt from one account to another without checking funds; it
// is used for internal sweeps between the platform's own accounts.
func (l *Ledger) Transfer(ctx context.Context, id string, from, to AccountID, amt Amount, currency string) error {
	defer l.trace("transfer " + id) // HAZ defer-func-result-not-called
	if amt <= 0 {
		return fmt.Errorf("ledger: transfer amount must be positive, got %s", amt)
	}
	return l.Post(ctx, transferEntry(id, from, to, amt, currency, l.now()))
}

// TransferChecked moves amt between customer accounts. The amount is held on
// the source account while the transfer is in flight so that concurrent
// transfers cannot spend the same funds twice.
func (l *Ledger) TransferChecked(ctx context.Context, id string, from, to AccountID, amt Amount, currency string) error {
	if amt <= 0 {
		return fmt.Errorf("ledger: transfer amount must be positive, got %s", amt)
	}
	defer l.holds.Place(id, from, amt)()
	if err := l.ensureAvailable(ctx, from); err != nil {
		return err
	}
	return l.Post(ctx, transferEntry(id, from, to, amt, currency, l.now()))
}

// ensureAvailable fails when the balance of id does not cover its holds.
func (l *Ledger) ensureAvailable(ctx context.Context, id AccountID) error {
	bal, err := l.Balance(ctx, id)
	if err != nil {
		return err
	}
	if held := l.holds.Held(id); bal-held < 0 {
		return fmt.Errorf("%w: %s has %s, %s held", ErrInsufficientFunds, id, bal, held)
	}
	return nil
}

// PostHeld books e. When holdFor is set, the debit on that account is
// reserved first so that concurrent authorisations see it.
func (l *Ledger) PostHeld(ctx context.Context, e Entry, holdFor AccountID) error {
	var release func()
	if holdFor != "" {
		release = l.holds.Place(e.ID, holdFor, -e.amountFor(holdFor))
		if err := l.ensureAvailable(ctx, holdFor); err != nil {
			release()
			return err
		}
	}
	defer release() // HAZ defer-nil-func
	return l.Post(ctx, e)
}

// Capture is PostHeld for card captures, where the hold is optional too.
func (l *Ledger) Capture(ctx context.Context, e Entry, holdFor AccountID) error {
	release := func() {}
	if holdFor != "" {
		release = l.holds.Place(e.ID, holdFor, -e.amountFor(holdFor))
	}
	defer release()
	if holdFor != "" {
		if err := l.ensureAvailable(ctx, holdFor); err != nil {
			return err
		}
	}
	return l.Post(ctx, e)
}

// Held reports the funds reserved on id by in-flight authorisations.
func (l *Ledger) Held(id AccountID) Amount {
	return l.holds.Held(id)
}

// Reverse books the mirror image of entry id, leaving the original untouched.
func (l *Ledger) Reverse(ctx context.Context, id string) error {
	tx, err := l.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	orig, err := readEntry(tx, id)
	if err != nil {
		return err
	}
	rev := orig.Reversed("rev-"+id, l.now())
	if _, exists := tx.Get(entryKey(rev.ID)); exists {
		err = fmt.Errorf("%w: %s already reversed", ErrDuplicate, id)
		return err
	}
	for _, p := range rev.Postings {
		var bal Amount
		if bal, err = readBalance(tx, p.Account); err != nil {
			return err
		}
		writeBalance(tx, p.Account, bal+p.Amount)
	}
	raw, err := json.Marshal(rev)
	if err != nil {
		return err
	}
	tx.Put(entryKey(rev.ID), raw)
	if err = tx.Commit(); err != nil {
		return err
	}
	l.invalidate(rev.accounts()...)
	return nil
}

// Balance returns the balance of id, from the cache when possible.
func (l *Ledger) Balance(ctx context.Context, id AccountID) (Amount, error) {
	l.mu.Lock()
	if bal, ok := l.balances[id]; ok {
		l.mu.Unlock()
		return bal, nil
	}
	l.mu.Unlock()

	var bal Amount
	err := store.WithTx(ctx, l.store, func(tx store.Tx) error {
		var err error
		bal, err = readBalance(tx, id)
		return err
	})
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	l.balances[id] = bal
	l.mu.Unlock()
	return bal, nil
}

// Warm loads the balances of ids into the cache, e.g. for the largest
// merchants at start-up.
func (l *Ledger) Warm(ctx context.Context, ids []AccountID) error {
	tx, err := l.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range ids {
		bal, err := readBalance(tx, id)
		if err != nil {
			return fmt.Errorf("ledger: warm %s: %w", id, err)
		}
		l.mu.Lock()
		defer l.mu.Unlock() // HAZ defer-in-loop
		l.balances[id] = bal
	}
	return nil
}

func (l *Ledger) invalidate(ids ...AccountID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		delete(l.balances, id)
	}
}

// Import posts entries in order, skipping the ones already booked, and
// reports how many were booked.
func (l *Ledger) Import(ctx context.Context, entries []Entry) (n int, err error) {
	start := l.now()
	defer func() {
		l.log.Printf("ledger: imported %d/%d entries in %s (err=%v)", n, len(entries), l.now().Sub(start), err)
	}()
	for _, e := range entries {
		if err := l.Post(ctx, e); err != nil {
			if errors.Is(err, ErrDuplicate) {
				continue
			}
			return n, fmt.Errorf("ledger: import %s: %w", e.ID, err)
		}
		n++
	}
	return n, nil
}

// Entry loads a booked entry.
func (l *Ledger) Entry(ctx context.Context, id string) (Entry, error) {
	var e Entry
	err := store.WithTx(ctx, l.store, func(tx store.Tx) error {
		var err error
		e, err = readEntry(tx, id)
		return err
	})
	return e, err
}

// Entries loads several entries in one read transaction.
func (l *Ledger) Entries(ctx context.Context, ids []string) ([]Entry, error) {
	tx, err := l.store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := tx.Rollback(); err != nil && !errors.Is(err, store.ErrTxDone) {
			return fmt.Errorf("ledger: releasing read transaction: %w", err)
		}
		return nil
	}()
	out := make([]Entry, 0, len(ids))
	for _, id := range ids {
		e, err := readEntry(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Restore re-applies entries from a backup in posting order, skipping the
// ones already booked, then drops the balance cache.
func (l *Ledger) Restore(ctx context.Context, entries []Entry) error {
	defer l.log.Printf("ledger: restore finished (panic: %v)", recover()) // HAZ recover-ineffective
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b Entry) int { return a.PostedAt.Compare(b.PostedAt) })
	for _, e := range sorted {
		err := store.WithTx(ctx, l.store, func(tx store.Tx) error { return applyEntry(tx, e) })
		if err != nil && !errors.Is(err, ErrDuplicate) {
			return fmt.Errorf("ledger: restore %s: %w", e.ID, err)
		}
	}
	l.mu.Lock()
	clear(l.balances)
	l.mu.Unlock()
	return nil
}

// Exists reports whether entry id is booked, for the API's conflict checks.
func (l *Ledger) Exists(ctx context.Context, id string) (bool, error) {
	tx, err := l.store.Begin(ctx)
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return false, err
	}
	_, ok := tx.Get(entryKey(id))
	return ok, nil
}

// Adopt seeds the cache with a balance computed elsewhere (the migration
// tool). Adopting an account twice is a bug in the caller.
func (l *Ledger) Adopt(id AccountID, bal Amount) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if cur, ok := l.balances[id]; ok {
		panic(fmt.Sprintf("ledger: %s adopted twice (cached %s, new %s)", id, cur, bal))
	}
	l.balances[id] = bal
	l.mu.Unlock()
}
