package order

import (
	"context"
	"database/sql"
)

// The conn is closed first, and (*sql.Conn).Close waits for the open transaction, which only
// the later Rollback would end: the error return deadlocks.
func updateOnConn(ctx context.Context, db *sql.DB, q string) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer c.Close() // want `the deferred c\.Close\(\) runs before the deferred tx\.Rollback\(\) registered on line \d+ .*c\.Close\(\) waits for tx to end .*the function deadlocks`
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return err
	}
	return tx.Commit()
}

// The conn's close is registered first, so it runs after the rollback has ended the transaction.
func updateOnConnInOrder(ctx context.Context, db *sql.DB, q string) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return err
	}
	return tx.Commit()
}
