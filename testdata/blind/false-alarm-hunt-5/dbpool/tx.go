package dbpool

import (
	"context"
	"errors"
	"sync/atomic"
)

// Tx is a transaction pinned to one connection.
type Tx struct {
	c    *Conn
	done atomic.Bool
}

// Begin starts a transaction.
func (p *Pool) Begin(ctx context.Context) (*Tx, error) {
	c, err := p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.dc.Begin(ctx); err != nil {
		c.markBroken(err)
		c.Release()
		return nil, err
	}
	c.inTx = true
	return &Tx{c: c}, nil
}

// Exec runs a statement inside the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if tx.done.Load() {
		return 0, ErrTxDone
	}
	return tx.c.Exec(ctx, query, args...)
}

// QueryInt runs a single-integer query inside the transaction.
func (tx *Tx) QueryInt(ctx context.Context, query string, args ...any) (int64, error) {
	if tx.done.Load() {
		return 0, ErrTxDone
	}
	dr, err := tx.c.Query(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer dr.Close()
	row := make([]any, len(dr.Columns()))
	if err := dr.Next(row); err != nil {
		return 0, ErrNoRows
	}
	var n int64
	return n, convertAssign(&n, row[0])
}

// Commit commits; after it, Rollback returns ErrTxDone and does nothing.
func (tx *Tx) Commit() error {
	if !tx.done.CompareAndSwap(false, true) {
		return ErrTxDone
	}
	err := tx.c.dc.Commit()
	tx.finish(err)
	return err
}

// Rollback aborts the transaction unless it already finished.
func (tx *Tx) Rollback() error {
	if !tx.done.CompareAndSwap(false, true) {
		return ErrTxDone
	}
	err := tx.c.dc.Rollback()
	tx.finish(err)
	return err
}

func (tx *Tx) finish(err error) {
	tx.c.inTx = false
	if err != nil {
		tx.c.broken = true
	}
	tx.c.Release()
}

// WithTx runs fn in a transaction. A panic in fn rolls back and is
// re-raised; an error rolls back; otherwise the commit error is returned.
func (p *Pool) WithTx(ctx context.Context, fn func(*Tx) error) (err error) {
	defer p.stats.observe("tx")()
	tx, err := p.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return tx.Commit()
}

// Transfer moves amount between two accounts. The deferred Rollback is the
// usual safety net: after a successful Commit it returns ErrTxDone.
func (p *Pool) Transfer(ctx context.Context, from, to string, amount int64) error {
	tx, err := p.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	bal, err := tx.QueryInt(ctx, "SELECT v FROM accounts WHERE k = ?", from)
	if err != nil {
		return err
	}
	if bal < amount {
		return errors.New("dbpool: insufficient funds")
	}
	if _, err := tx.Exec(ctx, "INSERT INTO accounts", from, bal-amount); err != nil {
		return err
	}
	dst, err := tx.QueryInt(ctx, "SELECT v FROM accounts WHERE k = ?", to)
	if err != nil && !errors.Is(err, ErrNoRows) {
		return err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO accounts", to, dst+amount); err != nil {
		return err
	}
	return tx.Commit()
}

// ApplyBatch runs stmts atomically.
func (p *Pool) ApplyBatch(ctx context.Context, stmts []string) error {
	tx, err := p.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return tx.Rollback()
		}
		return tx.Commit()
	}()
	for _, s := range stmts {
		if _, err = tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// ApplyBatchChecked is ApplyBatch with the commit error reaching the caller
// through the named result.
func (p *Pool) ApplyBatchChecked(ctx context.Context, stmts []string) (err error) {
	tx, err := p.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
			return
		}
		err = tx.Commit()
	}()
	for _, s := range stmts {
		if _, err = tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
