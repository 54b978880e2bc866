// Package recon reconciles account balances against the sum of their ledger
// entries and against externally supplied expectations.
package recon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/txsvc/internal/obs"
)

const (
	sqlAccounts   = "SELECT id, balance FROM accounts ORDER BY id"
	sqlBalance    = "SELECT balance FROM accounts WHERE id = ?"
	sqlEntriesFor = "SELECT transfer_id, account_id, amount FROM entries WHERE account_id = ? ORDER BY transfer_id"
	sqlSumEntries = "SELECT account_id, SUM(amount) FROM entries GROUP BY account_id ORDER BY account_id"
)

// Diff is a mismatch for one account.
type Diff struct {
	Account string `json:"account"`
	Balance int64  `json:"balance"`
	Entries int64  `json:"entries"`
}

// Delta is balance minus entries.
func (d Diff) Delta() int64 { return d.Balance - d.Entries }

// Options configures a Reconciler.
type Options struct {
	Workers  int
	Cooldown time.Duration
	LockPath string
	Logger   *log.Logger
	Metrics  *obs.Metrics
	// Opening holds opening balances, which have no entries.
	Opening map[string]int64
}

// Reconciler runs reconciliation jobs.
type Reconciler struct {
	db       *sql.DB
	workers  int
	cooldown time.Duration
	lockPath string
	log      *log.Logger
	metrics  *obs.Metrics
	opening  map[string]int64
}

// New returns a Reconciler over db.
func New(db *sql.DB, opts Options) *Reconciler {
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	return &Reconciler{
		db:       db,
		workers:  opts.Workers,
		cooldown: opts.Cooldown,
		lockPath: opts.LockPath,
		log:      opts.Logger,
		metrics:  opts.Metrics,
		opening:  opts.Opening,
	}
}

func (r *Reconciler) accountIDs(ctx context.Context) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, sqlAccounts)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		var bal int64
		if err := rows.Scan(&id, &bal); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ids, nil
}

// check compares one account in a read-only transaction.
func (r *Reconciler) check(ctx context.Context, id string) (Diff, error) {
	tx, err := r.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Diff{}, err
	}
	defer tx.Rollback()
	d := Diff{Account: id, Entries: r.opening[id]}
	if err := tx.QueryRowContext(ctx, sqlBalance, id).Scan(&d.Balance); err != nil {
		return Diff{}, fmt.Errorf("balance %s: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, sqlEntriesFor, id)
	if err != nil {
		return Diff{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var tid, acct string
		var amt int64
		if err := rows.Scan(&tid, &acct, &amt); err != nil {
			return Diff{}, err
		}
		d.Entries += amt
	}
	if err := rows.Err(); err != nil {
		return Diff{}, err
	}
	return d, tx.Commit()
}

type result struct {
	diff Diff
	err  error
}

// Run checks every account with a pool of workers and returns the mismatches.
func (r *Reconciler) Run(ctx context.Context) ([]Diff, error) {
	ids, err := r.accountIDs(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan string)
	results := make(chan result)
	var wg sync.WaitGroup
	for i := 0; i < r.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				d, err := r.check(ctx, id)
				select {
				case results <- result{d, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs) // ok: this goroutine is the only sender
		for _, id := range ids {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	var diffs []Diff
	var errs []error
	for res := range results {
		switch {
		case res.err != nil:
			errs = append(errs, res.err)
		case res.diff.Delta() != 0:
			diffs = append(diffs, res.diff)
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Account < diffs[j].Account })
	return diffs, errors.Join(errs...)
}

// Sums returns the entry sum of every account, in one query.
func (r *Reconciler) Sums(ctx context.Context) (map[string]int64, error) {
	rows, err := r.db.QueryContext(ctx, sqlSumEntries)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanSums(rows)
}

func scanSums(rows *sql.Rows) (map[string]int64, error) {
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var sum int64
		if err := rows.Scan(&id, &sum); err != nil {
			return nil, err
		}
		out[id] = sum
	}
	return out, rows.Err()
}

// entrySums is Sums on a transaction; the nightly job uses it.
func entrySums(ctx context.Context, tx *sql.Tx) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, sqlSumEntries)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	return scanSums(rows)
}

// Nightly compares all balances with all entry sums in one snapshot.
func (r *Reconciler) Nightly(ctx context.Context) ([]Diff, error) {
	tx, err := r.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sums, err := entrySums(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, sqlAccounts)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var diffs []Diff
	for rows.Next() {
		var d Diff
		if err := rows.Scan(&d.Account, &d.Balance); err != nil {
			return nil, err
		}
		d.Entries = sums[d.Account] + r.opening[d.Account]
		if d.Delta() != 0 {
			diffs = append(diffs, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return diffs, tx.Commit()
}

// CheckWithTimeout checks one account but gives up after d.
func (r *Reconciler) CheckWithTimeout(ctx context.Context, id string, d time.Duration) (Diff, error) {
	res := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		diff, err := r.check(ctx, id)
		res <- result{diff, err}
	}()
	select {
	case out := <-res:
		return out.diff, out.err
	case <-time.After(d):
		return Diff{}, fmt.Errorf("check %s: timed out after %s", id, d)
	}
}

// CheckBounded is CheckWithTimeout with a context deadline that the check
// itself honours, and a result slot that never blocks.
func (r *Reconciler) CheckBounded(ctx context.Context, id string, d time.Duration) (Diff, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res := make(chan result, 1)
	go func() {
		diff, err := r.check(ctx, id)
		res <- result{diff, err} // ok: buffered
	}()
	select {
	case out := <-res:
		return out.diff, out.err
	case <-ctx.Done():
		return Diff{}, ctx.Err()
	}
}
