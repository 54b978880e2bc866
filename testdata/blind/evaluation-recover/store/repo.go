// Package store holds the repositories and transaction helpers of the order
// service.
package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"sort"
	"sync/atomic"

	"example.com/blindb/platform"
)

// Order is a customer order.
type Order struct {
	ID    string `json:"id"`
	Items []Item `json:"items"`
	State string `json:"state"`
}

// Item is one order item.
type Item struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

// Snapshot is a serialized state of the order book.
type Snapshot struct {
	Version int               `json:"version"`
	Orders  map[string]*Order `json:"orders"`
}

// OrderRepo persists orders.
type OrderRepo struct {
	db       *platform.DB
	blobs    *platform.BlobStore
	log      *log.Logger
	handlers map[string]func(ctx context.Context, id string) error
	lastErr  error
}

// NewOrderRepo returns a repository.
func NewOrderRepo(db *platform.DB, blobs *platform.BlobStore, l *log.Logger) *OrderRepo {
	return &OrderRepo{db: db, blobs: blobs, log: l, handlers: make(map[string]func(context.Context, string) error)}
}

// Part is one chunk of a multipart upload.
type Part struct {
	UploadID string
	Data     []byte
}

// Phase is the state of an upload.
type Phase int

// Upload phases.
const (
	PhaseWriting Phase = iota
	PhaseCommitted
	PhaseAborted
)

type uploadState struct {
	UploadID string
	Phase    Phase
}

// Uploader uploads snapshot parts.
type Uploader struct {
	blobs *platform.BlobStore
	log   *log.Logger
}

// Compactor compacts the order index.
type Compactor struct {
	db      *platform.DB
	running atomic.Bool
	log     *log.Logger
}

func (c *Compactor) flushIndex() error {
	if !c.running.Load() {
		return errors.New("compactor not running")
	}
	return nil
}

func decodeSnapshot(r io.Reader) (*Snapshot, error) {
	var snap Snapshot
	if err := json.NewDecoder(r).Decode(&snap); err != nil {
		return nil, fmt.Errorf("decode snapshot: %w", err)
	}
	return &snap, nil
}

// MarkShipped moves an order to the shipped state.
func (r *OrderRepo) MarkShipped(ctx context.Context, orderID string) error {
	tx, err := r.db.Begin(ctx)
	if err != nil {
		return err
	}
	committed := false
	defer func() error {
		if committed {
			return nil
		}
		return tx.Rollback() // HAZ defer-ineffective-return
	}()
	if _, err := tx.Exec("SET order/%s/state=shipped", orderID); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// Create inserts an order and returns its generated id.
func (r *OrderRepo) Create(ctx context.Context, o *Order) (int64, error) {
	tx, err := r.db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback()) // HAZ defer-ineffective-return
		}
	}()
	id, err := tx.Exec("SET order/%s/state=%s", o.ID, "new")
	if err != nil {
		return 0, err
	}
	for _, it := range o.Items {
		if _, err = tx.Exec("SET order/%s/item/%s=%d", o.ID, it.SKU, it.Qty); err != nil {
			return 0, err
		}
	}
	err = tx.Commit()
	return id, err
}

// WithTx runs fn in a transaction and rolls back when fn fails.
func WithTx[T any](ctx context.Context, db *platform.DB, fn func(*platform.Tx) (T, error)) (T, error) {
	var zero T
	tx, err := db.Begin(ctx)
	if err != nil {
		return zero, err
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil {
				err = fmt.Errorf("%w (rollback: %v)", err, rbErr) // HAZ defer-ineffective-return
			}
		}
	}()
	out, err := fn(tx)
	if err != nil {
		return zero, err
	}
	err = tx.Commit()
	return out, err
}

// DrainOutbox delivers queued messages and closes the outbox reader.
func (r *OrderRepo) DrainOutbox(ctx context.Context, key string, deliver func([]byte) error) {
	rd, err := r.blobs.Open(key)
	if err != nil {
		r.log.Printf("outbox %s: %v", key, err)
		return
	}
	defer func() {
		err = rd.Close() // HAZ defer-ineffective-return
	}()
	buf, err := io.ReadAll(rd)
	if err != nil {
		r.log.Printf("outbox %s: read: %v", key, err)
		return
	}
	for _, msg := range bytes.Split(buf, []byte("\n")) {
		if ctx.Err() != nil {
			return
		}
		if err = deliver(msg); err != nil {
			r.log.Printf("outbox %s: deliver: %v", key, err)
		}
	}
}

// UploadPart appends a part and aborts the upload if it fails midway.
func (u *Uploader) UploadPart(ctx context.Context, part Part) error {
	st := &uploadState{UploadID: part.UploadID, Phase: PhaseWriting}
	defer func() error {
		switch st.Phase {
		case PhaseWriting:
			return u.blobs.Abort(st.UploadID) // HAZ defer-ineffective-return
		case PhaseCommitted:
			return nil
		default:
			return fmt.Errorf("upload %s left in phase %d", st.UploadID, st.Phase)
		}
	}()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := u.blobs.AppendPart(part.UploadID, part.Data); err != nil {
		return err
	}
	st.Phase = PhaseCommitted
	return nil
}

// CopySnapshot copies a stored snapshot into dst. The error result is
// blank, so the deferred closure can only assign a local.
func (r *OrderRepo) CopySnapshot(key string, dst io.Writer) (written int64, _ error) {
	src, err := r.blobs.Open(key)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := src.Close(); cerr != nil && err == nil {
			err = cerr // HAZ defer-ineffective-return
		}
	}()
	written, err = io.Copy(dst, src)
	return written, err
}

// RegisterCancelHandler installs a handler whose deferred closure tries to
// report the release error through a local variable.
func (r *OrderRepo) RegisterCancelHandler(leases *platform.LeaseManager) {
	r.handlers["cancel"] = func(ctx context.Context, id string) error {
		var err error
		lease, err := leases.Acquire(ctx, "order/"+id)
		if err != nil {
			return err
		}
		defer func() {
			if leases.Held(lease.Name) {
				leases.Release(lease)
			} else if err == nil {
				err = fmt.Errorf("lease for %s lost before release", id) // HAZ defer-ineffective-return
			}
		}()
		tx, err := r.db.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err = tx.Exec("SET order/%s/state=cancelled", id); err != nil {
			return errors.Join(err, tx.Rollback())
		}
		err = tx.Commit()
		return err
	}
}

// LoadSnapshot reads and decodes the snapshot stored under key.
func (r *OrderRepo) LoadSnapshot(key string) (*Snapshot, error) {
	rd, err := r.blobs.Open(key)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := rd.Close(); cerr != nil {
			if err == nil {
				err = fmt.Errorf("close snapshot %s: %w", key, cerr) // HAZ defer-ineffective-return
			}
		}
	}()
	snap, err := decodeSnapshot(rd)
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// Compact compacts the index and flushes it on the way out unless the
// context was cancelled.
func (c *Compactor) Compact(ctx context.Context, keys []string) (int, error) {
	c.running.Store(true)
	defer func() error {
		select {
		case <-ctx.Done():
			c.running.Store(false)
			return ctx.Err() // HAZ defer-ineffective-return
		default:
			err := c.flushIndex()
			c.running.Store(false)
			return err
		}
	}()
	sort.Strings(keys)
	n := 0
	for _, k := range keys {
		if _, ok := c.db.Get(k); ok {
			n++
		}
	}
	return n, ctx.Err()
}
