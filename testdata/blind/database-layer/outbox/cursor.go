package outbox

import (
	"context"
	"sync"
	"sync/atomic"
)

// checkpoints remembers how far each named consumer got, without locks on
// the hot path.
type checkpoints struct {
	pos sync.Map // name -> *atomic.Int64
}

func newCheckpoints() *checkpoints {
	return &checkpoints{}
}

func (c *checkpoints) slot(name string) *atomic.Int64 {
	v, _ := c.pos.LoadOrStore(name, new(atomic.Int64))
	return v.(*atomic.Int64)
}

func (c *checkpoints) get(name string) int64 {
	return c.slot(name).Load()
}

func (c *checkpoints) set(name string, id int64) {
	storeMax(c.slot(name), id)
}

func storeMax(v *atomic.Int64, id int64) {
	for {
		cur := v.Load()
		if id <= cur || v.CompareAndSwap(cur, id) {
			return
		}
	}
}

// cursor is a value snapshot of the relay position.
type cursor struct {
	lastID int64
	store  *checkpoints
}

// Save persists the position held by this snapshot.
func (c cursor) Save(name string) {
	c.store.set(name, c.lastID)
}

func (r *Relay) cursorSnapshot() cursor {
	return cursor{lastID: r.pos.Load(), store: r.ckpt}
}

func (r *Relay) advance(id int64) {
	storeMax(&r.pos, id)
}

// Checkpoint returns the saved position of the named consumer.
func (r *Relay) Checkpoint(name string) int64 {
	return r.ckpt.get(name)
}

// Catchup publishes msgs in order and checkpoints the position at the end.
func (r *Relay) Catchup(ctx context.Context, msgs []Message) error {
	defer r.cursorSnapshot().Save("relay") // HAZ defer-call-chain
	for _, m := range msgs {
		if err := r.pub.Publish(ctx, m); err != nil {
			return err
		}
		r.advance(m.ID)
	}
	return nil
}

// CatchupSaved is Catchup taking the snapshot at exit.
func (r *Relay) CatchupSaved(ctx context.Context, msgs []Message) error {
	defer func() { r.cursorSnapshot().Save("relay") }()
	for _, m := range msgs {
		if err := r.pub.Publish(ctx, m); err != nil {
			return err
		}
		r.advance(m.ID)
	}
	return nil
}
