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
	defer c.Close() // want `the deferred c\.Close\(\) runs before the deferred tx\.Rollback\(\) registered on line \d+ .*c\.Close\(\) waits for tx to be released .*a return before tx is committed deadlocks the function`
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

// Rows queried on the conn hold it until they are closed: closing the conn first waits for the
// rows' close, which runs after it.
func namesOnConn(ctx context.Context, db *sql.DB) ([]string, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.QueryContext(ctx, "SELECT name FROM t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	defer c.Close() // want `c\.Close\(\) waits for rows to be released .*a return before rows is read to the end deadlocks the function`
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// In order: the rows are closed before the conn.
func namesOnConnInOrder(ctx context.Context, db *sql.DB) ([]string, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	rows, err := c.QueryContext(ctx, "SELECT name FROM t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
