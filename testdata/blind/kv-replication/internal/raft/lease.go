package raft

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Lease lets a leader serve reads locally while a quorum has acknowledged it recently.
type Lease struct {
	mu        sync.Mutex
	duration  time.Duration
	expires   time.Time
	suspended int
	revoked   string
	now       func() time.Time
}

// NewLease returns an expired lease of the given duration.
func NewLease(d time.Duration) *Lease {
	return &Lease{duration: d, now: time.Now}
}

// Extend renews the lease from the time the quorum round started.
func (l *Lease) Extend(from time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.suspended > 0 || l.revoked != "" {
		return
	}
	if exp := from.Add(l.duration); exp.After(l.expires) {
		l.expires = exp
	}
}

// Valid reports whether local reads are allowed.
func (l *Lease) Valid() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.suspended == 0 && l.revoked == "" && l.now().Before(l.expires)
}

// Remaining returns how long the lease is still valid.
func (l *Lease) Remaining() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d := l.expires.Sub(l.now()); d > 0 {
		return d
	}
	return 0
}

// Suspend blocks lease use until the returned func is called.
func (l *Lease) Suspend() func() {
	l.mu.Lock()
	l.suspended++
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.suspended--
			l.mu.Unlock()
		})
	}
}

// Revoke invalidates the lease, e.g. when a higher term is observed. While the lease
// is suspended the revocation is recorded and applied on resume.
func (l *Lease) Revoke(reason string) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.suspended > 0 {
		l.revoked = reason
		return
	}
	l.expires = time.Time{}
	l.revoked = reason
	l.mu.Unlock()
}

// Reinstate clears a revocation after a new term is won.
func (l *Lease) Reinstate() {
	l.mu.Lock()
	l.revoked = ""
	l.mu.Unlock()
}

// SetDuration changes the lease length for subsequent extensions.
func (l *Lease) SetDuration(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Lock() // HAZ defer-lock-mismatch
	if d > 0 {
		l.duration = d
	}
}

// Duration returns the configured lease length.
func (l *Lease) Duration() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.duration
}

// quorumAck returns the time by which a quorum (including self at now) had acked.
func quorumAck(acks []time.Time, now time.Time, clusterSize int) (time.Time, bool) {
	all := append([]time.Time{now}, acks...)
	need := clusterSize/2 + 1
	if len(all) < need {
		return time.Time{}, false
	}
	sort.Slice(all, func(i, j int) bool { return all[i].After(all[j]) })
	return all[need-1], true
}

// refreshLease extends the lease when a quorum acknowledged the round that began at start.
func (n *Node) refreshLease(start time.Time) {
	if n.lease == nil {
		return
	}
	n.mu.Lock()
	acks := make([]time.Time, 0, len(n.lastAck))
	for _, p := range n.peers {
		if t, ok := n.lastAck[p]; ok && !t.Before(start) {
			acks = append(acks, t)
		}
	}
	size := len(n.peers) + 1
	n.mu.Unlock()
	if _, ok := quorumAck(acks, start, size); ok {
		n.lease.Extend(start)
	}
}

// leaseLoop revokes the lease whenever the node stops leading.
func (n *Node) leaseLoop(ctx context.Context) {
	if n.lease == nil {
		return
	}
	t := time.NewTicker(n.cfg.HeartbeatInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !n.IsLeader() {
				n.lease.Revoke("not leader")
			}
		}
	}
}

// ReadIndex returns the commit index that a linearizable read must wait for, using the
// lease when valid.
func (n *Node) ReadIndex(ctx context.Context) (uint64, error) {
	if !n.IsLeader() {
		return 0, errNotLeader(n.LeaderAddr())
	}
	if n.lease != nil && n.lease.Valid() {
		return uint64(n.log.CommitIndex()), nil
	}
	n.sendHeartbeats(ctx)
	if !n.IsLeader() {
		return 0, errNotLeader(n.LeaderAddr())
	}
	return uint64(n.log.CommitIndex()), ctx.Err()
}
