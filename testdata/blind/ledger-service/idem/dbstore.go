package idem

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
)

const (
	sqlSave   = "INSERT INTO idempotency (key, response) VALUES (?, ?)"
	sqlLoad   = "SELECT response FROM idempotency WHERE key = ?"
	sqlDelete = "DELETE FROM idempotency WHERE key = ?"
)

// Queryer is satisfied by *sql.DB and *sql.Tx.
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DBStore persists responses so that they survive restarts.
type DBStore struct {
	q Queryer
}

// NewDBStore wraps q.
func NewDBStore(q Queryer) *DBStore { return &DBStore{q: q} }

// Load returns the persisted response for key.
func (s *DBStore) Load(ctx context.Context, key string) (Response, bool, error) {
	var raw []byte
	err := s.q.QueryRowContext(ctx, sqlLoad, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, false, nil
	}
	if err != nil {
		return Response{}, false, err
	}
	var resp Response
	if err := json.Unmarshal(raw, &resp); err != nil {
		return Response{}, false, err
	}
	return resp, true, nil
}

// Save persists resp for key. A duplicate key is an error.
func (s *DBStore) Save(ctx context.Context, key string, resp Response) error {
	raw, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	_, err = s.q.ExecContext(ctx, sqlSave, key, raw)
	return err
}

// Delete removes key.
func (s *DBStore) Delete(ctx context.Context, key string) error {
	_, err := s.q.ExecContext(ctx, sqlDelete, key)
	return err
}

// SaveInTx persists resp inside the transaction that performed the work, so
// that the response and the ledger change commit together.
func SaveInTx(ctx context.Context, db *sql.DB, key string, resp Response, work func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := work(tx); err != nil {
		return err
	}
	if err := NewDBStore(tx).Save(ctx, key, resp); err != nil {
		return err
	}
	return tx.Commit()
}
