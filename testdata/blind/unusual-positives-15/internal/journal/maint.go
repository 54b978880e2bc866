package journal

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
)

// Drain appends records from in until in is closed (then syncs) or ctx is
// cancelled.
func (j *Journal) Drain(ctx context.Context, in <-chan Record) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r, ok := <-in:
			j.mu.Lock() // HAZ lock-leaked-on-return
			if !ok {
				return j.seg.Sync()
			}
			j.seq++
			r.Seq = j.seq
			if err := j.writeLocked(r); err != nil {
				j.mu.Unlock()
				return err
			}
			j.mu.Unlock()
		}
	}
}

// DrainAll is Drain through Append and Flush, which lock for themselves.
func (j *Journal) DrainAll(ctx context.Context, in <-chan Record) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r, ok := <-in:
			if !ok {
				return j.Flush()
			}
			if err := j.Append(r.Op, r.Key); err != nil {
				return err
			}
		}
	}
}

// Compact removes all but the newest keep segments under the "compact"
// lease.
func (j *Journal) Compact(keep int) error {
	if err := j.lease.Acquire("compact"); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return j.lease.Release("compact")
	}()
	names, err := filepath.Glob(filepath.Join(j.dir, "seg-*.jsonl"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	j.mu.Lock()
	active := j.seg.name
	j.mu.Unlock()
	for i, name := range names {
		if i >= len(names)-keep || name == active {
			continue
		}
		if err := os.Remove(name); err != nil {
			return err
		}
	}
	return nil
}

// Mark appends a label with the current sequence number to marks.log.
func (j *Journal) Mark(label string) error {
	j.mu.Lock()
	seq := j.seq
	j.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(j.dir, "marks.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s %d\n", label, seq)
	return err
}

// MarkSynced is Mark with the close error joined into the named result.
func (j *Journal) MarkSynced(label string) (err error) {
	j.mu.Lock()
	seq := j.seq
	j.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(j.dir, "marks.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = fmt.Fprintf(f, "%s %d\n", label, seq)
	return err
}

type jstats struct {
	seq     uint64
	segment string
	size    int64
}

func (j *Journal) stats() jstats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jstats{seq: j.seq, segment: filepath.Base(j.seg.name), size: j.seg.n}
}

func (s jstats) log(lg *log.Logger) {
	lg.Printf("journal at seq %d, segment %s (%d bytes)", s.seq, s.segment, s.size)
}

// Import appends recs and logs where the journal ended up.
func (j *Journal) Import(recs []Record, lg *log.Logger) error {
	defer j.stats().log(lg) // HAZ defer-call-chain
	for _, r := range recs {
		if err := j.Append(r.Op, r.Key); err != nil {
			return err
		}
	}
	return nil
}

// ImportReported is Import with the position read after the appends.
func (j *Journal) ImportReported(recs []Record, lg *log.Logger) error {
	for _, r := range recs {
		if err := j.Append(r.Op, r.Key); err != nil {
			j.stats().log(lg)
			return err
		}
	}
	j.stats().log(lg)
	return nil
}

// OnSeal registers fn to run after a Seal of kind. Call it during setup.
func (j *Journal) OnSeal(kind string, fn func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.hooks[kind] = fn
}

// Seal closes the active segment early and runs the hook for kind.
func (j *Journal) Seal(kind string) error {
	defer j.hooks[kind]() // HAZ defer-nil-func
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.rotateLocked()
}

// SealChecked is Seal that only defers a hook that exists.
func (j *Journal) SealChecked(kind string) error {
	if hook := j.hooks[kind]; hook != nil {
		defer hook()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.rotateLocked()
}
