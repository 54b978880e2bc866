package catalog

import (
	"fmt"
	"io"
	"sync"
)

// Op is one journal record.
type Op struct {
	Kind string
	ID   string
}

// Journal appends catalog changes to a log writer. The Locker is embedded
// and injected so that several journals writing one file share one lock.
type Journal struct {
	sync.Locker
	w   io.Writer
	seq uint64
}

// NewJournal returns a journal writing to w under l (a fresh mutex if nil).
func NewJournal(w io.Writer, l sync.Locker) *Journal {
	if l == nil {
		l = new(sync.Mutex)
	}
	return &Journal{Locker: l, w: w}
}

// Append writes one record.
func (j *Journal) Append(op Op) error {
	j.Lock()
	defer j.Unlock()
	return j.writeLocked(op)
}

// writeLocked writes op; the caller holds the lock.
func (j *Journal) writeLocked(op Op) error {
	j.seq++
	_, err := fmt.Fprintf(j.w, "%d %s %s\n", j.seq, op.Kind, op.ID)
	return err
}

// AppendBatch writes ops as one unit so that no other writer interleaves.
func (j *Journal) AppendBatch(ops []Op) error {
	j.Lock() // HAZ lock-leaked-on-return
	for i, op := range ops {
		if op.ID == "" {
			return fmt.Errorf("journal: op %d (%s) has no id", i, op.Kind)
		}
		if err := j.writeLocked(op); err != nil {
			j.Unlock()
			return err
		}
	}
	j.Unlock()
	return nil
}

// AppendAll is AppendBatch done right: it validates before locking and
// defers the unlock through a method value.
func (j *Journal) AppendAll(ops []Op) error {
	for i, op := range ops {
		if op.ID == "" {
			return fmt.Errorf("journal: op %d (%s) has no id", i, op.Kind)
		}
	}
	unlock := j.Unlock
	j.Lock()
	defer unlock()
	for _, op := range ops {
		if err := j.writeLocked(op); err != nil {
			return err
		}
	}
	return nil
}

// Seq returns the last sequence number written.
func (j *Journal) Seq() uint64 {
	j.Lock()
	defer j.Unlock()
	return j.seq
}
