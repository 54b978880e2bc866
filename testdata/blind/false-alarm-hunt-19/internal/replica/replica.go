// Package replica implements the leaseholder side of one replicated range:
// the lease, the proposal pipeline and command application.
package replica

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"runtime/trace"
	"sync"
	"time"

	"example.com/fah19/internal/stop"
	"example.com/fah19/internal/storage"
)

// ErrDestroyed is returned for operations on a removed replica.
var ErrDestroyed = errors.New("replica destroyed")

// Lease grants one node the right to serve the range until Expiration.
type Lease struct {
	Holder     int
	Sequence   int64
	Expiration time.Time
}

// LeaseState is the state of a lease at some instant.
type LeaseState int

// Lease states.
const (
	LeaseNone LeaseState = iota
	LeaseValid
	LeaseExpired
)

// NotLeaseholderError redirects a client to the current leaseholder.
type NotLeaseholderError struct {
	RangeID int64
	Lease   Lease
}

func (e *NotLeaseholderError) Error() string {
	return fmt.Sprintf("r%d: not leaseholder; lease held by n%d until %s", e.RangeID, e.Lease.Holder, e.Lease.Expiration.Format(time.RFC3339))
}

// Snapshot is a point-in-time copy of a replica's data.
type Snapshot struct {
	Index  uint64
	Tables []string
}

// Sender ships snapshots to another replica.
type Sender interface {
	SendSnapshot(ctx context.Context, snap Snapshot) error
}

// Replica is one copy of a range.
//
// Lock ordering: raftMu before mu. raftMu is held across command
// application (which does I/O); mu only guards in-memory state and is never
// held across I/O.
type Replica struct {
	RangeID int64
	NodeID  int

	store     *storage.Engine
	tracer    *Tracer
	clock     func() time.Time
	raftReady chan struct{}

	raftMu sync.Mutex

	mu struct {
		sync.RWMutex
		lease        Lease
		appliedIndex uint64
		destroyed    bool
		pending      [][]byte
		waiters      []chan struct{}
	}

	stats applyStats

	// postApply holds hooks run after admin commands, by command kind.
	// Guarded by raftMu.
	postApply map[string]func()
}

type applyStats struct {
	mu       sync.Mutex
	applied  uint64
	rejected uint64
}

func (s *applyStats) record(ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok {
		s.applied++
	} else {
		s.rejected++
	}
}

// NewReplica returns the replica of rangeID on node nodeID.
func NewReplica(rangeID int64, nodeID int, store *storage.Engine, tracer *Tracer) *Replica {
	return &Replica{
		RangeID:   rangeID,
		NodeID:    nodeID,
		store:     store,
		tracer:    tracer,
		clock:     time.Now,
		raftReady: make(chan struct{}, 1),
	}
}

// AppliedIndex returns the index of the last applied command.
func (r *Replica) AppliedIndex() uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.mu.appliedIndex
}

// lockForRead acquires r.mu for reading and returns it held; the caller
// releases it by calling the returned func exactly once:
//
//	defer r.lockForRead()()
func (r *Replica) lockForRead() (unlock func()) {
	r.mu.RLock()
	return r.mu.RUnlock
}

// ReplicaStats is a consistent view of a replica for the status page.
type ReplicaStats struct {
	RangeID      int64
	AppliedIndex uint64
	Lease        Lease
	Pending      int
}

// Stats returns a consistent snapshot of the replica's state.
func (r *Replica) Stats() ReplicaStats {
	defer r.lockForRead()()
	return ReplicaStats{
		RangeID:      r.RangeID,
		AppliedIndex: r.mu.appliedIndex,
		Lease:        r.mu.lease,
		Pending:      len(r.mu.pending),
	}
}

// leaseStatusLocked evaluates the lease at now. r.mu must be held, for
// reading or writing.
func (r *Replica) leaseStatusLocked(now time.Time) LeaseState {
	switch {
	case r.mu.lease.Sequence == 0:
		return LeaseNone
	case now.Before(r.mu.lease.Expiration):
		return LeaseValid
	default:
		return LeaseExpired
	}
}

// LeaseStatus evaluates the current lease at now.
func (r *Replica) LeaseStatus(now time.Time) LeaseState {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return r.leaseStatusLocked(now)
}

// RequestLease acquires or extends the lease for this node.
func (r *Replica) RequestLease(dur time.Duration) (Lease, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mu.destroyed {
		return Lease{}, ErrDestroyed
	}
	now := r.clock()
	if r.leaseStatusLocked(now) == LeaseValid && r.mu.lease.Holder != r.NodeID {
		return Lease{}, &NotLeaseholderError{RangeID: r.RangeID, Lease: r.mu.lease}
	}
	r.mu.lease = Lease{
		Holder:     r.NodeID,
		Sequence:   r.mu.lease.Sequence + 1,
		Expiration: now.Add(dur),
	}
	return r.mu.lease, nil
}

// TransferLease hands the lease to node to, which may serve from now on.
func (r *Replica) TransferLease(to int) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if r.mu.destroyed {
		r.mu.Unlock()
		return ErrDestroyed
	}
	if r.mu.lease.Holder != r.NodeID {
		lease := r.mu.lease
		r.mu.Unlock()
		return &NotLeaseholderError{RangeID: r.RangeID, Lease: lease}
	}
	if to == r.NodeID {
		return nil
	}
	r.mu.lease = Lease{Holder: to, Sequence: r.mu.lease.Sequence + 1, Expiration: r.mu.lease.Expiration}
	r.mu.Unlock()
	return nil
}

// Propose queues cmd for application and returns a channel that is closed
// once it has been applied. The caller must not hold r.mu.
func (r *Replica) Propose(cmd []byte) (<-chan struct{}, error) {
	r.mu.Lock()
	if r.mu.destroyed {
		r.mu.Unlock()
		return nil, ErrDestroyed
	}
	if r.leaseStatusLocked(r.clock()) != LeaseValid || r.mu.lease.Holder != r.NodeID {
		lease := r.mu.lease
		r.mu.Unlock()
		return nil, &NotLeaseholderError{RangeID: r.RangeID, Lease: lease}
	}
	done := make(chan struct{})
	r.mu.pending = append(r.mu.pending, cmd)
	r.mu.waiters = append(r.mu.waiters, done)
	r.unlockAndNotifyRaft()
	return done, nil
}

// ApplyBatch proposes cmds, waits for each to apply and then flushes the
// engine, so that the batch is in a table before the caller acknowledges it
// upstream.
func (r *Replica) ApplyBatch(ctx context.Context, cmds [][]byte) error {
	defer func() error { // HAZ defer-ineffective-return
		if err := r.store.Flush(ctx, false); err != nil {
			return fmt.Errorf("r%d: flush after batch: %w", r.RangeID, err)
		}
		return nil
	}()
	for _, c := range cmds {
		done, err := r.Propose(c)
		if err != nil {
			return err
		}
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// unlockAndNotifyRaft must be called with r.mu held; it releases r.mu and
// then wakes the raft goroutine, so that the wake-up never happens under the
// lock.
func (r *Replica) unlockAndNotifyRaft() {
	pending := len(r.mu.pending)
	r.mu.Unlock()
	if pending == 0 {
		return
	}
	select {
	case r.raftReady <- struct{}{}:
	default:
	}
}

// handleRaftReady applies every pending command in order.
func (r *Replica) handleRaftReady(ctx context.Context) {
	defer trace.StartRegion(ctx, "handleRaftReady").End()
	r.raftMu.Lock()
	defer r.raftMu.Unlock()

	r.mu.Lock()
	cmds, waiters := r.mu.pending, r.mu.waiters
	r.mu.pending, r.mu.waiters = nil, nil
	r.mu.Unlock()

	for _, c := range cmds {
		err := r.applyCommand(c)
		if err != nil {
			log.Printf("r%d: apply: %v", r.RangeID, err)
		}
		r.stats.record(err == nil)
	}

	r.mu.Lock()
	r.mu.appliedIndex += uint64(len(cmds))
	r.mu.Unlock()
	for _, w := range waiters {
		close(w)
	}
}

// RegisterPostApply installs fn to run after every admin command of kind.
func (r *Replica) RegisterPostApply(kind string, fn func()) {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	if r.postApply == nil {
		r.postApply = make(map[string]func())
	}
	r.postApply[kind] = fn
}

// applyAdmin applies an admin command (split, merge, GC threshold) and then
// runs the hook registered for its kind. r.raftMu must be held.
func (r *Replica) applyAdmin(kind string, payload []byte) error {
	post := r.postApply[kind]
	defer post() // HAZ defer-nil-func
	switch kind {
	case "gc-threshold", "split", "merge":
		return r.store.Put([]byte("\x00admin/"+kind), payload)
	default:
		return fmt.Errorf("r%d: unknown admin command %q", r.RangeID, kind)
	}
}

// applyCommand decodes a command and applies it. Admin commands start with
// a zero byte followed by "kind\n". r.raftMu must be held.
func (r *Replica) applyCommand(cmd []byte) error {
	if len(cmd) > 0 && cmd[0] == 0 {
		kind, payload, ok := bytes.Cut(cmd[1:], []byte("\n"))
		if !ok {
			return fmt.Errorf("malformed admin command of %d bytes", len(cmd))
		}
		return r.applyAdmin(string(kind), payload)
	}
	klen, n := binary.Uvarint(cmd)
	if n <= 0 || uint64(len(cmd)-n) < klen {
		return fmt.Errorf("malformed command of %d bytes", len(cmd))
	}
	key := cmd[n : n+int(klen)]
	return r.store.Put(key, cmd[n+int(klen):])
}

// Start launches the raft processing and lease renewal goroutines on s.
func (r *Replica) Start(ctx context.Context, s *stop.Stopper, leaseDuration time.Duration) error {
	err := s.RunAsyncTask(ctx, fmt.Sprintf("raft-r%d", r.RangeID), func(ctx context.Context) {
		for {
			select {
			case <-s.ShouldQuiesce():
				return
			case <-ctx.Done():
				return
			case <-r.raftReady:
				r.handleRaftReady(ctx)
			}
		}
	})
	if err != nil {
		return err
	}
	return s.RunAsyncTask(ctx, fmt.Sprintf("lease-r%d", r.RangeID), func(ctx context.Context) {
		ctx, cancel := s.WithCancelOnQuiesce(ctx)
		defer cancel()
		r.renewLease(ctx, leaseDuration)
	})
}

// renewLease keeps extending the lease a third of its duration before it
// expires, until ctx is done.
func (r *Replica) renewLease(ctx context.Context, dur time.Duration) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		next := dur * 2 / 3
		if _, err := r.RequestLease(dur); err != nil {
			log.Printf("r%d: lease renewal: %v", r.RangeID, err)
			next = dur / 10
		}
		t.Reset(next)
	}
}

// ApplySnapshot replaces the replica's data with snap.
func (r *Replica) ApplySnapshot(ctx context.Context, snap Snapshot) error {
	sp := r.tracer.Start(fmt.Sprintf("r%d/apply-snapshot", r.RangeID))
	var err error
	defer sp.Finish(err) // HAZ defer-eager-evaluation

	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	if err = r.store.Ingest(ctx, snap.Tables, storage.IngestOptions{PauseCompactions: true}); err != nil {
		return err
	}
	r.mu.Lock()
	r.mu.appliedIndex = snap.Index
	r.mu.Unlock()
	return nil
}

// snapshotLocked describes the replica's current tables. r.raftMu must be
// held so that no command is applied meanwhile.
func (r *Replica) snapshotLocked() (Snapshot, error) {
	r.mu.RLock()
	index := r.mu.appliedIndex
	destroyed := r.mu.destroyed
	r.mu.RUnlock()
	if destroyed {
		return Snapshot{}, ErrDestroyed
	}
	snap := Snapshot{Index: index}
	for _, t := range r.store.Tables() {
		snap.Tables = append(snap.Tables, t.Name)
	}
	return snap, nil
}

// SendSnapshot ships the replica's current state to another node. The span
// is finished with the function's final error.
func (r *Replica) SendSnapshot(ctx context.Context, to Sender) (err error) {
	sp := r.tracer.Start(fmt.Sprintf("r%d/send-snapshot", r.RangeID))
	defer func() { sp.Finish(err) }()

	r.raftMu.Lock()
	snap, err := r.snapshotLocked()
	r.raftMu.Unlock()
	if err != nil {
		return err
	}
	return to.SendSnapshot(ctx, snap)
}

// Destroy marks the replica removed and releases every proposal waiter.
func (r *Replica) Destroy() {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mu.destroyed {
		return
	}
	r.mu.destroyed = true
	for _, w := range r.mu.waiters {
		close(w)
	}
	r.mu.pending, r.mu.waiters = nil, nil
}
