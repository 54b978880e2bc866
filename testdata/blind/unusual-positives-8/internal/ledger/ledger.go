// Package ledger keeps account balances and a journal of movements for the
// artifact-storage billing.
//
// The lock helpers take the mutex they guard by pointer, so that the same
// helpers serve the balance lock and the audit lock.
package ledger

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Errors returned by the ledger.
var (
	ErrInsufficient = errors.New("insufficient funds")
	ErrUnknown      = errors.New("unknown account")
	ErrAmount       = errors.New("amount must be positive")
	ErrFrozen       = errors.New("ledger is frozen")
	ErrNotEmpty     = errors.New("account balance is not zero")
)

// Account is one billing account.
type Account struct {
	ID      string
	Balance int64
}

// Entry is one journal line.
type Entry struct {
	From, To string
	Amount   int64
	At       time.Time
}

// Ledger holds accounts. mu guards accounts and journal; auditMu guards audit.
type Ledger struct {
	mu       sync.Mutex
	accounts map[string]*Account
	journal  []Entry
	frozen   bool

	auditMu sync.Mutex
	audit   []string
}

// New returns an empty ledger.
func New() *Ledger {
	return &Ledger{accounts: make(map[string]*Account)}
}

// appendEntry appends e to *journal while holding mu.
func appendEntry(mu *sync.Mutex, journal *[]Entry, e Entry) {
	mu.Lock()
	defer mu.Unlock()
	*journal = append(*journal, e)
}

// note appends a formatted line to *trail while holding mu.
func note(mu *sync.Mutex, trail *[]string, format string, args ...any) {
	line := time.Now().UTC().Format(time.RFC3339) + " " + fmt.Sprintf(format, args...)
	mu.Lock()
	*trail = append(*trail, line)
	mu.Unlock()
}

// debit takes amt from a while holding mu.
func debit(mu *sync.Mutex, a *Account, amt int64) error {
	mu.Lock() // HAZ lock-leaked-on-return
	if a.Balance < amt {
		return fmt.Errorf("%w: %s has %d, needs %d", ErrInsufficient, a.ID, a.Balance, amt)
	}
	a.Balance -= amt
	mu.Unlock()
	return nil
}

// credit adds amt to a while holding mu.
func credit(mu *sync.Mutex, a *Account, amt int64) error {
	if amt <= 0 {
		return ErrAmount
	}
	mu.Lock()
	a.Balance += amt
	mu.Unlock()
	return nil
}

// Open creates an account with an opening balance.
func (l *Ledger) Open(id string, opening int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.accounts[id]; ok {
		return fmt.Errorf("account %s already exists", id)
	}
	l.accounts[id] = &Account{ID: id, Balance: opening}
	return nil
}

func (l *Ledger) account(id string) (*Account, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.accounts[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknown, id)
	}
	return a, nil
}

// Deposit credits amt to account id.
func (l *Ledger) Deposit(id string, amt int64) error {
	a, err := l.account(id)
	if err != nil {
		return err
	}
	if err := credit(&l.mu, a, amt); err != nil {
		return err
	}
	appendEntry(&l.mu, &l.journal, Entry{To: id, Amount: amt, At: time.Now()})
	note(&l.auditMu, &l.audit, "deposit %d to %s", amt, id)
	return nil
}

// Withdraw debits amt from account id.
func (l *Ledger) Withdraw(id string, amt int64) error {
	a, err := l.account(id)
	if err != nil {
		return err
	}
	if err := debit(&l.mu, a, amt); err != nil {
		return err
	}
	appendEntry(&l.mu, &l.journal, Entry{From: id, Amount: amt, At: time.Now()})
	return nil
}

// Transfer moves amt from one account to another atomically.
func (l *Ledger) Transfer(from, to string, amt int64) error {
	if amt <= 0 {
		return ErrAmount
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	src, ok := l.accounts[from]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, from)
	}
	dst, ok := l.accounts[to]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, to)
	}
	if src.Balance < amt {
		return fmt.Errorf("%w: %s has %d, needs %d", ErrInsufficient, from, src.Balance, amt)
	}
	src.Balance -= amt
	dst.Balance += amt
	appendEntry(&l.mu, &l.journal, Entry{From: from, To: to, Amount: amt, At: time.Now()}) // HAZ lock-reentry-under-defer
	return nil
}

// Balance returns the balance of account id and notes the query in the audit
// trail.
func (l *Ledger) Balance(id string) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.accounts[id]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrUnknown, id)
	}
	note(&l.auditMu, &l.audit, "balance query for %s", id)
	return a.Balance, nil
}

// Accounts returns copies of all accounts, sorted by ID.
func (l *Ledger) Accounts() []Account {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Account, 0, len(l.accounts))
	for _, a := range l.accounts {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Account) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

// Broadcast calls fn with every account concurrently and waits for all calls.
func (l *Ledger) Broadcast(fn func(Account)) {
	accts := l.Accounts()
	var wg sync.WaitGroup
	var a Account
	for _, a = range accts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(a)
		}()
	}
	wg.Wait()
}

// Statements calls fn with every account concurrently, each goroutine getting
// its own copy, and waits for all calls.
func (l *Ledger) Statements(fn func(Account)) int {
	accts := l.Accounts()
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(accts); i++ {
		wg.Add(1)
		go func(a Account) {
			defer wg.Done()
			fn(a)
		}(accts[i])
	}
	wg.Wait()
	return i
}

// Journal returns a copy of the journal.
func (l *Ledger) Journal() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.journal)
}

// AuditTrail returns a copy of the audit trail.
func (l *Ledger) AuditTrail() []string {
	l.auditMu.Lock()
	defer l.auditMu.Unlock()
	return slices.Clone(l.audit)
}

// CloseAccount removes account id; its balance must be zero.
func (l *Ledger) CloseAccount(id string) error {
	l.mu.Lock() // HAZ lock-leaked-on-return
	a, ok := l.accounts[id]
	if !ok {
		l.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknown, id)
	}
	if a.Balance != 0 {
		l.mu.Unlock()
		return fmt.Errorf("%w: %s has %d", ErrNotEmpty, id, a.Balance)
	}
	delete(l.accounts, id)
	l.journal = append(l.journal, Entry{From: id, At: time.Now()})
	return nil
}

// Freeze makes every later Record fail; used while the books are closed.
func (l *Ledger) Freeze() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.frozen = true
}

// batch collects journal entries and applies them in one step.
type batch struct {
	l       *Ledger
	entries []Entry
}

func (l *Ledger) begin() (*batch, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frozen {
		return nil, ErrFrozen
	}
	return &batch{l: l}, nil
}

func (b *batch) commit() error {
	b.l.mu.Lock()
	defer b.l.mu.Unlock()
	if b.l.frozen {
		return ErrFrozen
	}
	b.l.journal = append(b.l.journal, b.entries...)
	return nil
}

// Record appends entries to the journal as one batch.
func (l *Ledger) Record(entries ...Entry) (err error) {
	if b, err := l.begin(); err == nil {
		defer func() { // HAZ defer-ineffective-return
			if cerr := b.commit(); cerr != nil {
				err = fmt.Errorf("record: %w", cerr)
			}
		}()
		b.entries = append(b.entries, entries...)
		return nil
	} else {
		return fmt.Errorf("record: %w", err)
	}
}

// RecordAll is Record with the commit error reported to the caller.
func (l *Ledger) RecordAll(entries ...Entry) (err error) {
	b, err := l.begin()
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	defer func() {
		if cerr := b.commit(); cerr != nil {
			err = fmt.Errorf("record: %w", cerr)
		}
	}()
	b.entries = append(b.entries, entries...)
	return nil
}
