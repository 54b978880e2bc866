// Package ledger implements double-entry accounts and transfers on top of
// database/sql.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/txsvc/internal/memdb"
	"example.com/txsvc/internal/obs"
)

const (
	sqlInsertAccount = "INSERT INTO accounts (id, balance) VALUES (?, ?)"
	sqlBalance       = "SELECT balance FROM accounts WHERE id = ?"
	sqlAddBalance    = "UPDATE accounts SET balance = balance + ? WHERE id = ?"
	sqlAccounts      = "SELECT id, balance FROM accounts ORDER BY id"
	sqlInsertEntry   = "INSERT INTO entries (transfer_id, account_id, amount) VALUES (?, ?, ?)"
	sqlEntriesFor    = "SELECT transfer_id, account_id, amount FROM entries WHERE account_id = ? ORDER BY transfer_id"
	sqlSumEntries    = "SELECT account_id, SUM(amount) FROM entries GROUP BY account_id ORDER BY account_id"
)

var (
	// ErrNotFound reports an unknown account.
	ErrNotFound = errors.New("ledger: account not found")
	// ErrInsufficientFunds reports a debit larger than the balance.
	ErrInsufficientFunds = errors.New("ledger: insufficient funds")
)

// Auditor receives one record per state-changing operation.
type Auditor interface {
	Record(op, ref string, err error)
}

type nopAuditor struct{}

func (nopAuditor) Record(string, string, error) {}

// Options configures a Store.
type Options struct {
	Metrics *obs.Metrics
	Audit   Auditor
	Logger  *log.Logger
}

// Account is one ledger account.
type Account struct {
	ID      string
	Balance int64
}

// Entry is one leg of a transfer.
type Entry struct {
	TransferID string
	AccountID  string
	Amount     int64
}

// Store is the ledger.
type Store struct {
	db *sql.DB

	mu       sync.RWMutex // guards balances
	balances map[string]int64

	locks   *accountLocks
	stmts   *stmtCache
	metrics *obs.Metrics
	audit   Auditor
	log     *log.Logger
	seq     atomic.Uint64
}

// Open opens the ledger database named dsn.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	db, err := sql.Open(memdb.DriverName, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping %s: %w", dsn, err)
	}
	return New(db, opts), nil
}

// New wraps an open database.
func New(db *sql.DB, opts Options) *Store {
	s := &Store{
		db:       db,
		balances: map[string]int64{},
		locks:    newAccountLocks(),
		stmts:    newStmtCache(db),
		metrics:  opts.Metrics,
		audit:    opts.Audit,
		log:      opts.Logger,
	}
	if s.audit == nil {
		s.audit = nopAuditor{}
	}
	if s.log == nil {
		s.log = log.New(io.Discard, "", 0)
	}
	return s
}

// DB exposes the underlying handle for the outbox and reconciliation jobs.
func (s *Store) DB() *sql.DB { return s.db }

// Close releases prepared statements and closes the database.
func (s *Store) Close() error {
	return errors.Join(s.stmts.close(), s.db.Close())
}

func (s *Store) newID() string {
	return fmt.Sprintf("tr-%d-%06d", time.Now().Unix(), s.seq.Add(1))
}

// CreateAccount opens an account with an opening balance.
func (s *Store) CreateAccount(ctx context.Context, id string, opening int64) error {
	if id == "" {
		return errors.New("ledger: empty account id")
	}
	if _, err := s.db.ExecContext(ctx, sqlInsertAccount, id, opening); err != nil {
		return fmt.Errorf("create account %s: %w", id, err)
	}
	s.cacheBalance(id, opening)
	return nil
}

// Balance returns the committed balance of an account.
func (s *Store) Balance(ctx context.Context, id string) (int64, error) {
	var bal int64
	err := s.db.QueryRowContext(ctx, sqlBalance, id).Scan(&bal)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	s.cacheBalance(id, bal)
	return bal, nil
}

// Accounts lists every account.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, sqlAccounts)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: after the error check
	return scanAccounts(rows)
}

func scanAccounts(rows *sql.Rows) ([]Account, error) {
	var out []Account
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.ID, &a.Balance); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanEntries(rows *sql.Rows) ([]Entry, error) {
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.TransferID, &e.AccountID, &e.Amount); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Statement returns the entries of one account, using a cached prepared statement.
func (s *Store) Statement(ctx context.Context, id string) ([]Entry, error) {
	st, err := s.stmts.get(ctx, sqlEntriesFor)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanEntries(rows)
}

// Snapshot is a consistent view of all balances and entry sums.
type Snapshot struct {
	Balances map[string]int64
	Sums     map[string]int64
}

// Snapshot reads balances and entry sums in one read-only transaction.
func (s *Store) Snapshot(ctx context.Context) (Snapshot, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Balances: map[string]int64{}, Sums: map[string]int64{}}
	if err := readPairs(ctx, tx, sqlAccounts, snap.Balances); err != nil {
		return Snapshot{}, err
	}
	if err := readPairs(ctx, tx, sqlSumEntries, snap.Sums); err != nil {
		return Snapshot{}, err
	}
	return snap, tx.Commit()
}

// SnapshotSafe is Snapshot with the rollback registered after the begin
// succeeded; it is what the reconciliation job uses.
func (s *Store) SnapshotSafe(ctx context.Context) (Snapshot, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Snapshot{}, err
	}
	defer tx.Rollback() // ok: checked begin, no-op after Commit
	snap := Snapshot{Balances: map[string]int64{}, Sums: map[string]int64{}}
	if err := readPairs(ctx, tx, sqlAccounts, snap.Balances); err != nil {
		return Snapshot{}, err
	}
	if err := readPairs(ctx, tx, sqlSumEntries, snap.Sums); err != nil {
		return Snapshot{}, err
	}
	if err := tx.Commit(); err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

func readPairs(ctx context.Context, tx *sql.Tx, query string, into map[string]int64) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		into[k] = v
	}
	return rows.Err()
}
