// Package ledger records double-entry postings for charges, refunds and
// payouts through database/sql.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"

	"example.com/paymentgateway/internal/fakesql"
)

// ErrInvalidAmount is returned for non-positive amounts.
var ErrInvalidAmount = errors.New("ledger: amount must be positive")

// Entry is one leg of a posting.
type Entry struct {
	ID       string
	Account  string
	Amount   int64
	Currency string
	Kind     string
}

// Transfer moves Amount from one account to another.
type Transfer struct {
	ID       string
	From, To string
	Amount   int64
	Currency string
}

// Refund returns part of a captured charge to the cardholder.
type Refund struct {
	ID       string
	ChargeID string
	Merchant string
	Amount   int64
	Currency string
}

// Payout moves a merchant balance to its bank account.
type Payout struct {
	ID       string
	Merchant string
	Amount   int64
	Currency string
}

// Validate checks the payout before posting.
func (p Payout) Validate() error {
	if p.Amount <= 0 {
		return ErrInvalidAmount
	}
	if p.Merchant == "" {
		return errors.New("ledger: payout without merchant")
	}
	return nil
}

type opStats struct {
	calls  int
	errors int
}

// Store is the ledger's persistence layer.
type Store struct {
	db     *sql.DB
	logger *log.Logger

	mu    sync.Mutex
	stats map[string]opStats
}

// Open connects to the ledger database named by dsn.
func Open(dsn string) (*Store, error) {
	db, err := sql.Open(fakesql.DriverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("ledger: open %q: %w", dsn, err)
	}
	return &Store{
		db:     db,
		logger: log.New(io.Discard, "ledger ", log.LstdFlags),
		stats:  make(map[string]opStats),
	}, nil
}

// SetLogger replaces the store's logger.
func (s *Store) SetLogger(l *log.Logger) { s.logger = l }

// Close closes the underlying pool.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the pool for batch jobs.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) observe(op string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats[op]
	st.calls++
	if err != nil {
		st.errors++
	}
	s.stats[op] = st
}

// ErrorRate reports the fraction of failed calls of op.
func (s *Store) ErrorRate(op string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats[op]
	if st.calls == 0 {
		return 0
	}
	return float64(st.errors) / float64(st.calls)
}

const insertEntrySQL = `INSERT INTO ledger_entries (id, account, amount, currency, kind) VALUES (?, ?, ?, ?, ?)`

func insertEntry(ctx context.Context, tx *sql.Tx, e Entry) error {
	if _, err := tx.ExecContext(ctx, insertEntrySQL, e.ID, e.Account, e.Amount, e.Currency, e.Kind); err != nil {
		return fmt.Errorf("ledger: insert %s/%s: %w", e.ID, e.Kind, err)
	}
	return nil
}

// PostTransfer books a debit and a credit in one serializable transaction.
func (s *Store) PostTransfer(ctx context.Context, t Transfer) error {
	if t.Amount <= 0 {
		return ErrInvalidAmount
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("ledger: begin transfer %s: %w", t.ID, err)
	}
	if err := insertEntry(ctx, tx, Entry{ID: t.ID, Account: t.From, Amount: -t.Amount, Currency: t.Currency, Kind: "debit"}); err != nil {
		return err
	}
	if err := insertEntry(ctx, tx, Entry{ID: t.ID, Account: t.To, Amount: t.Amount, Currency: t.Currency, Kind: "credit"}); err != nil {
		return err
	}
	return tx.Commit()
}

// PostRefund books a refund against the merchant's balance.
func (s *Store) PostRefund(ctx context.Context, r Refund) error {
	if r.Amount <= 0 {
		return ErrInvalidAmount
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("ledger: begin refund %s: %w", r.ID, err)
	}
	defer tx.Rollback() // no-op after Commit
	if err := insertEntry(ctx, tx, Entry{ID: r.ID, Account: "merchant:" + r.Merchant, Amount: -r.Amount, Currency: r.Currency, Kind: "refund"}); err != nil {
		return err
	}
	if err := insertEntry(ctx, tx, Entry{ID: r.ID, Account: "clearing", Amount: r.Amount, Currency: r.Currency, Kind: "refund"}); err != nil {
		return err
	}
	return tx.Commit()
}

// withTx runs fn in a transaction and commits it when fn succeeds.
func (s *Store) withTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("ledger: begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// PostPayout books a payout and records the outcome in the op stats.
func (s *Store) PostPayout(ctx context.Context, p Payout) error {
	var err error
	defer s.observe("post_payout", err) // HAZ defer-eager-evaluation
	if err = p.Validate(); err != nil {
		return err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		return insertEntry(ctx, tx, Entry{ID: p.ID, Account: "merchant:" + p.Merchant, Amount: -p.Amount, Currency: p.Currency, Kind: "payout"})
	})
	return err
}

// PostChargeback books a chargeback and records the outcome correctly: the
// closure reads err when the function returns.
func (s *Store) PostChargeback(ctx context.Context, chargeID, merchant string, amount int64, currency string) (err error) {
	defer func() { s.observe("post_chargeback", err) }()
	if amount <= 0 {
		return ErrInvalidAmount
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		return insertEntry(ctx, tx, Entry{ID: chargeID, Account: "merchant:" + merchant, Amount: -amount, Currency: currency, Kind: "chargeback"})
	})
}

// VoidCharge writes a void marker and commits in a deferred block.
func (s *Store) VoidCharge(ctx context.Context, chargeID, merchant string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	err = insertEntry(ctx, tx, Entry{ID: chargeID, Account: "merchant:" + merchant, Amount: 0, Currency: "XXX", Kind: "void"})
	return err
}

// CapturePayout is VoidCharge done right: err is a named result, so a failed
// commit reaches the caller.
func (s *Store) CapturePayout(ctx context.Context, p Payout) (err error) {
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	err = insertEntry(ctx, tx, Entry{ID: p.ID, Account: "payouts", Amount: p.Amount, Currency: p.Currency, Kind: "capture"})
	return err
}
