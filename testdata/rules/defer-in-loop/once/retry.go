package once

import (
	"context"
	"database/sql"
)

// err is assigned again before its test in every iteration: the test guards nothing across
// iterations, and a retried transaction stays open until the function returns.
func retryTx(ctx context.Context, db *sql.DB, attempts int, fn func(*sql.Tx) error, retryable func(error) bool) error {
	var err error
	for i := 0; i < attempts; i++ {
		var tx *sql.Tx
		tx, err = db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // want `transaction tx from \(\*database/sql\.DB\)\.BeginTx on line \d+ stays open and holds a database connection until retryTx returns`
		err = fn(tx)
		if err == nil {
			err = tx.Commit()
		}
		if !retryable(err) {
			return err
		}
	}
	return err
}
