package doc

import (
	"example.com/collab/internal/ot"
)

// UndoRing is a bounded LIFO of inverse operations. When full, the oldest
// entry is overwritten. It is not safe for concurrent use; documents guard
// their rings with the document mutex.
type UndoRing struct {
	buf  []ot.Op
	head int // index of the next push
	n    int
}

// NewUndoRing returns a ring holding at most capacity entries.
func NewUndoRing(capacity int) *UndoRing {
	if capacity < 1 {
		capacity = 1
	}
	return &UndoRing{buf: make([]ot.Op, capacity)}
}

// Push records op, evicting the oldest entry when the ring is full.
func (r *UndoRing) Push(op ot.Op) {
	r.buf[r.head] = op
	r.head = (r.head + 1) % len(r.buf)
	if r.n < len(r.buf) {
		r.n++
	}
}

// Pop removes and returns the newest entry.
func (r *UndoRing) Pop() (ot.Op, bool) {
	if r.n == 0 {
		return ot.Op{}, false
	}
	r.head = (r.head - 1 + len(r.buf)) % len(r.buf)
	op := r.buf[r.head]
	r.buf[r.head] = ot.Op{}
	r.n--
	return op, true
}

// Peek returns the newest entry without removing it.
func (r *UndoRing) Peek() (ot.Op, bool) {
	if r.n == 0 {
		return ot.Op{}, false
	}
	return r.buf[(r.head-1+len(r.buf))%len(r.buf)], true
}

// Len returns the number of entries.
func (r *UndoRing) Len() int { return r.n }

// Clear drops every entry.
func (r *UndoRing) Clear() {
	for i := range r.buf {
		r.buf[i] = ot.Op{}
	}
	r.head, r.n = 0, 0
}

// recordUndo pushes the inverse of op onto the client's ring. before is the
// text op was applied to. Caller holds d.mu for writing.
func (d *Document) recordUndo(op ot.Op, before string) {
	if op.Client == "" || op.Noop() {
		return
	}
	ring := d.undo[op.Client]
	if ring == nil {
		ring = NewUndoRing(d.undoSize)
		d.undo[op.Client] = ring
	}
	inv, err := ot.Invert(op, before)
	if err != nil {
		return
	}
	inv.Base = d.version
	ring.Push(inv)
}

// Undo reverts the most recent operation of client, rebased over everything
// applied since.
func (d *Document) Undo(client string) (Change, error) {
	d.mu.Lock() // HAZ lock-leaked-on-return
	ring := d.undo[client]
	if ring == nil {
		d.mu.Unlock()
		return Change{}, ErrNothingToUndo
	}
	inv, ok := ring.Pop()
	if !ok {
		return Change{}, ErrNothingToUndo
	}
	inv.Client = client
	ch, err := d.applyLocked(inv, false)
	d.mu.Unlock()
	return ch, err
}

// UndoDepth returns how many undo steps client has left.
func (d *Document) UndoDepth(client string) int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if ring := d.undo[client]; ring != nil {
		return ring.Len()
	}
	return 0
}

// ForgetClient drops the undo history of a client that left.
func (d *Document) ForgetClient(client string) {
	d.mu.Lock()
	delete(d.undo, client)
	d.mu.Unlock()
}
