package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"example.com/blindb/platform"
)

// closeInto closes c and keeps the first error in *errp.
func closeInto(errp *error, c io.Closer) {
	if cerr := c.Close(); cerr != nil && *errp == nil {
		*errp = cerr
	}
}

// CancelOrder rolls back on failure and reports the rollback error through
// the named result.
func (r *OrderRepo) CancelOrder(ctx context.Context, id string) (err error) {
	tx, err := r.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback()) // ok: err is the named result
		}
	}()
	if _, err = tx.Exec("SET order/%s/state=cancelled", id); err != nil {
		return err
	}
	return tx.Commit()
}

// ArchiveOrder uses a bare return to leave the deferred cleanup early.
func (r *OrderRepo) ArchiveOrder(ctx context.Context, id string) error {
	tx, err := r.db.Begin(ctx)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if done {
			return // ok: bare return, no values lost
		}
		if rbErr := tx.Rollback(); rbErr != nil {
			r.log.Printf("archive %s: rollback: %v", id, rbErr)
		}
	}()
	if _, err := tx.Exec("SET order/%s/archived=true", id); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	done = true
	return nil
}

// LogTopItems logs the largest items of an order when it returns; the
// return statement belongs to the comparison function, not to the defer.
func (r *OrderRepo) LogTopItems(o *Order) int {
	items := make([]Item, len(o.Items))
	copy(items, o.Items)
	defer func() {
		sort.Slice(items, func(i, j int) bool {
			return items[i].Qty > items[j].Qty // ok: return of the less func
		})
		if len(items) > 0 {
			r.log.Printf("order %s: top item %s x%d", o.ID, items[0].SKU, items[0].Qty)
		}
	}()
	total := 0
	for _, it := range o.Items {
		total += it.Qty
	}
	return total
}

// RefreshState records the close error in a struct field that outlives the
// call, so the assignment is not lost.
func (r *OrderRepo) RefreshState(key string) (int, error) {
	rd, err := r.blobs.Open(key)
	if err != nil {
		return 0, err
	}
	defer func() {
		r.lastErr = rd.Close() // ok: field of the receiver, read by LastError
	}()
	snap, err := decodeSnapshot(rd)
	if err != nil {
		return 0, err
	}
	return len(snap.Orders), nil
}

// LastError returns the error of the last background close.
func (r *OrderRepo) LastError() error { return r.lastErr }

// ReadSnapshot closes through a helper that writes the named result.
func (r *OrderRepo) ReadSnapshot(key string) (snap *Snapshot, err error) {
	rd, err := r.blobs.Open(key)
	if err != nil {
		return nil, err
	}
	defer closeInto(&err, rd) // ok: writes the named result through a pointer
	return decodeSnapshot(rd)
}

// CountSnapshotOrders logs a close error from a variable declared inside
// the deferred closure.
func (r *OrderRepo) CountSnapshotOrders(key string) (int, error) {
	rd, err := r.blobs.Open(key)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := rd.Close(); cerr != nil {
			r.log.Printf("snapshot %s: close: %v", key, cerr) // ok: handled here
		}
	}()
	snap, err := decodeSnapshot(rd)
	if err != nil {
		return 0, err
	}
	return len(snap.Orders), nil
}

// WithTxNamed is the correct version of WithTx: its results are named, so
// the deferred rollback error reaches the caller.
func WithTxNamed[T any](ctx context.Context, db *platform.DB, fn func(*platform.Tx) (T, error)) (out T, err error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return out, err
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil {
				err = fmt.Errorf("%w (rollback: %v)", err, rbErr) // ok: named result
			}
		}
	}()
	out, err = fn(tx)
	if err != nil {
		return out, err
	}
	return out, tx.Commit()
}

// PurgeOrder builds its rollback as a plain closure (its return values are
// used by the deferred closure that calls it).
func (r *OrderRepo) PurgeOrder(ctx context.Context, id string) error {
	tx, err := r.db.Begin(ctx)
	if err != nil {
		return err
	}
	rollback := func() error {
		return tx.Rollback() // ok: not a deferred literal; its caller checks the value
	}
	committed := false
	defer func() {
		if committed {
			return
		}
		if rbErr := rollback(); rbErr != nil {
			r.log.Printf("purge %s: %v", id, rbErr)
		}
	}()
	if _, err := tx.Exec("SET order/%s/state=purged", id); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// RegisterRestoreHandler installs a handler written as a function literal
// with a named result.
func (r *OrderRepo) RegisterRestoreHandler() {
	r.handlers["restore"] = func(ctx context.Context, id string) (err error) {
		rd, err := r.blobs.Open("order/" + id)
		if err != nil {
			return err
		}
		defer func() {
			err = errors.Join(err, rd.Close()) // ok: named result of the enclosing literal
		}()
		snap, err := decodeSnapshot(rd)
		if err != nil {
			return err
		}
		if _, ok := snap.Orders[id]; !ok {
			return fmt.Errorf("order %s not in snapshot", id)
		}
		return ctx.Err()
	}
}

// finishUpload marks the upload as done and reports an abort failure
// through the caller's error pointer.
func (u *Uploader) finishUpload(errp *error, st *uploadState) {
	defer func() {
		if st.Phase != PhaseCommitted {
			if aerr := u.blobs.Abort(st.UploadID); aerr != nil {
				*errp = errors.Join(*errp, aerr) // ok: stored through the pointer
			}
		}
	}()
	u.log.Printf("upload %s finished in phase %d", st.UploadID, st.Phase)
}

// UploadAll uploads all parts and lets finishUpload report abort errors.
func (u *Uploader) UploadAll(ctx context.Context, uploadID string, parts [][]byte) (err error) {
	st := &uploadState{UploadID: uploadID, Phase: PhaseWriting}
	defer u.finishUpload(&err, st)
	for _, p := range parts {
		if err = ctx.Err(); err != nil {
			return err
		}
		if err = u.blobs.AppendPart(uploadID, p); err != nil {
			return err
		}
	}
	st.Phase = PhaseCommitted
	return nil
}

// ApplyInTx runs fn in a transaction; a panic rolls back and is re-raised,
// so the caller still sees it.
func (r *OrderRepo) ApplyInTx(ctx context.Context, fn func(tx *platform.Tx) error) (err error) {
	tx, err := r.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p) // ok: re-panic after cleanup
		}
	}()
	if err = fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
