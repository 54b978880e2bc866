package journal

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Update runs fn in a transaction. The transaction commits when fn returns
// nil and rolls back otherwise; a panic in fn rolls back and is re-raised.
func Update(db DB, fn func(Tx) error) (err error) {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
		if err != nil {
			err = errors.Join(err, tx.Rollback())
			return
		}
		err = tx.Commit()
	}()
	return fn(tx)
}

// ApplyAll writes every entry in a single transaction.
func ApplyAll(db DB, entries map[string]string) (err error) {
	tx, err := db.Begin()
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
	for k, v := range entries {
		if err := tx.Put(k, v); err != nil {
			return fmt.Errorf("put %s: %w", k, err)
		}
	}
	return nil
}

// SetCursor stores the shipping cursor of one source.
func SetCursor(db DB, source, cursor string) error {
	tx, err := db.Begin()
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
	err = tx.Put("cursor/"+source, cursor)
	return err
}

// Rename moves a key, retrying once on a conflicting commit.
func Rename(db DB, from, to string, get func(string) (string, bool)) error {
	for attempt := 0; attempt < 2; attempt++ {
		v, ok := get(from)
		if !ok {
			return fmt.Errorf("journal: %s not found", from)
		}
		err := Update(db, func(tx Tx) error {
			if err := tx.Put(to, v); err != nil {
				return err
			}
			return tx.Delete(from)
		})
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return ErrConflict
}

// Touch stores the current time under key.
func Touch(db DB, key string) error {
	tx, err := db.Begin()
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if err := tx.Put(key, strconv.FormatInt(time.Now().Unix(), 10)); err != nil {
		return err
	}
	return tx.Commit()
}

// Remove deletes key. Rollback after a successful Commit is a no-op.
func Remove(db DB, key string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.Delete(key); err != nil {
		return err
	}
	return tx.Commit()
}
