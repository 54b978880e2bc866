package ledger

import (
	"context"
	"database/sql"
	"fmt"
)

const entriesByAccountSQL = `SELECT id, account, amount, currency, kind FROM ledger_entries WHERE account = ?`

func scanEntries(rows *sql.Rows) ([]Entry, error) {
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.Account, &e.Amount, &e.Currency, &e.Kind); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EntriesFor lists all entries posted to account.
func (s *Store) EntriesFor(ctx context.Context, account string) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, entriesByAccountSQL, account)
	if err != nil {
		return nil, fmt.Errorf("ledger: query %s: %w", account, err)
	}
	defer rows.Close()
	return scanEntries(rows)
}

// BalancesFor sums the entries of every account in accounts.
func (s *Store) BalancesFor(ctx context.Context, accounts []string) (map[string]int64, error) {
	out := make(map[string]int64, len(accounts))
	for _, acct := range accounts {
		rows, err := s.db.QueryContext(ctx, entriesByAccountSQL, acct)
		if err != nil {
			return nil, fmt.Errorf("ledger: balance %s: %w", acct, err)
		}
		defer rows.Close() // HAZ defer-in-loop
		for rows.Next() {
			var e Entry
			if err := rows.Scan(&e.ID, &e.Account, &e.Amount, &e.Currency, &e.Kind); err != nil {
				return nil, err
			}
			out[acct] += e.Amount
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Statement builds per-account statements; each iteration closes its rows
// in its own function literal.
func (s *Store) Statement(ctx context.Context, accounts []string) (map[string][]Entry, error) {
	out := make(map[string][]Entry, len(accounts))
	for _, acct := range accounts {
		err := func() error {
			rows, err := s.db.QueryContext(ctx, entriesByAccountSQL, acct)
			if err != nil {
				return err
			}
			defer rows.Close()
			entries, err := scanEntries(rows)
			if err != nil {
				return err
			}
			out[acct] = entries
			return nil
		}()
		if err != nil {
			return nil, fmt.Errorf("ledger: statement %s: %w", acct, err)
		}
	}
	return out, nil
}

// InsertBatch posts entries through one prepared statement.
func (s *Store) InsertBatch(ctx context.Context, batchID string, entries []Entry) error {
	defer s.logger.Printf("batch %s: %d entries submitted", batchID, len(entries))
	return s.withTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, insertEntrySQL)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range entries {
			if _, err := stmt.ExecContext(ctx, e.ID, e.Account, e.Amount, e.Currency, e.Kind); err != nil {
				return fmt.Errorf("ledger: batch %s entry %s: %w", batchID, e.ID, err)
			}
		}
		return nil
	})
}

// PurgeAccount deletes every entry of a closed test account.
func (s *Store) PurgeAccount(ctx context.Context, account string) (int64, error) {
	stmt, err := s.db.PrepareContext(ctx, `DELETE FROM ledger_entries WHERE account = ?`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	res, err := stmt.ExecContext(ctx, account)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
