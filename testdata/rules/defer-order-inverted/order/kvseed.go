package order

import (
	"context"
	"errors"

	"example.com/order/kvstore"
)

// The store is closed before the transaction's rollback runs: Close waits for it.
func seedInverted(ctx context.Context, kv map[string]string) error {
	db := kvstore.Open()
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer db.Close() // want `the deferred db.Close\(\) runs before the deferred tx.Rollback\(\) .* a store whose Close waits for open transactions deadlocks`
	for k, v := range kv {
		if k == "" {
			return errors.New("empty key")
		}
		tx.Put(k, v)
	}
	return tx.Commit()
}

// The store's close registered first runs last.
func seed(ctx context.Context, kv map[string]string) error {
	db := kvstore.Open()
	defer db.Close()
	tx, err := db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range kv {
		tx.Put(k, v)
	}
	return tx.Commit()
}
