package raftlog

import (
	"slices"
	"sync"
)

// ProgressState is the replication mode for one follower.
type ProgressState uint8

// Replication modes.
const (
	StateProbe ProgressState = iota
	StateReplicate
	StateSnapshot
)

func (s ProgressState) String() string {
	switch s {
	case StateProbe:
		return "probe"
	case StateReplicate:
		return "replicate"
	case StateSnapshot:
		return "snapshot"
	}
	return "invalid"
}

// Progress is the leader's view of one follower.
type Progress struct {
	Match, Next uint64
	State       ProgressState
	Paused      bool
	Inflight    int
	RecentAlive bool
}

// MaybeUpdate records an acknowledged index.
func (p *Progress) MaybeUpdate(n uint64) bool {
	updated := false
	if p.Match < n {
		p.Match = n
		updated = true
		p.Paused = false
	}
	p.Next = max(p.Next, n+1)
	return updated
}

// MaybeDecrTo handles a rejection; it returns false for stale rejections.
func (p *Progress) MaybeDecrTo(rejected, hint uint64) bool {
	if p.State == StateReplicate {
		if rejected <= p.Match {
			return false
		}
		p.Next = p.Match + 1
		return true
	}
	if p.Next-1 != rejected {
		return false
	}
	p.Next = max(min(rejected, hint+1), 1)
	p.Paused = false
	return true
}

// BecomeProbe resets to probing after Match.
func (p *Progress) BecomeProbe() {
	p.State = StateProbe
	p.Next = p.Match + 1
	p.Inflight = 0
}

// BecomeReplicate switches to pipelined replication.
func (p *Progress) BecomeReplicate() {
	p.State = StateReplicate
	p.Next = p.Match + 1
}

// IsPaused reports whether the leader should hold back appends.
func (p *Progress) IsPaused(maxInflight int) bool {
	switch p.State {
	case StateProbe:
		return p.Paused
	case StateReplicate:
		return p.Inflight >= maxInflight
	}
	return true
}

// Tracker holds the progress of every voter.
type Tracker struct {
	mu       sync.Mutex
	progress map[uint64]*Progress
	votes    map[uint64]bool
}

// NewTracker returns a tracker for the given voters.
func NewTracker(voters []uint64, next uint64) *Tracker {
	t := &Tracker{progress: make(map[uint64]*Progress, len(voters)), votes: map[uint64]bool{}}
	for _, id := range voters {
		t.progress[id] = &Progress{Next: next}
	}
	return t
}

// Committed returns the highest index matched by a quorum.
func (t *Tracker) Committed() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	matches := make([]uint64, 0, len(t.progress))
	for _, p := range t.progress {
		matches = append(matches, p.Match)
	}
	if len(matches) == 0 {
		return 0
	}
	slices.Sort(matches)
	return matches[(len(matches)-1)/2]
}

// Update records an ack from id and reports whether Match moved.
func (t *Tracker) Update(id, match uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.progress[id]
	if !ok {
		return false
	}
	p.RecentAlive = true
	return p.MaybeUpdate(match)
}

// Visit calls fn for each voter in id order, outside the lock, on copies.
func (t *Tracker) Visit(fn func(id uint64, p Progress)) {
	t.mu.Lock()
	ids := make([]uint64, 0, len(t.progress))
	snap := make(map[uint64]Progress, len(t.progress))
	for id, p := range t.progress {
		ids = append(ids, id)
		snap[id] = *p
	}
	t.mu.Unlock()
	slices.Sort(ids)
	for _, id := range ids {
		fn(id, snap[id])
	}
}

// QuorumActive reports whether a quorum was heard from since the last
// call, and clears the flags.
func (t *Tracker) QuorumActive() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	active := 0
	for _, p := range t.progress {
		if p.RecentAlive {
			active++
		}
		p.RecentAlive = false
	}
	return active > len(t.progress)/2
}

// ResetVotes clears the election tally.
func (t *Tracker) ResetVotes() {
	t.mu.Lock()
	clear(t.votes)
	t.mu.Unlock()
}

// RecordVote stores a vote and returns the tally.
func (t *Tracker) RecordVote(id uint64, granted bool) (yes, no int, won bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, seen := t.votes[id]; !seen {
		t.votes[id] = granted
	}
	return t.tallyLocked()
}

func (t *Tracker) tallyLocked() (yes, no int, won bool) {
	for _, g := range t.votes {
		if g {
			yes++
		} else {
			no++
		}
	}
	return yes, no, yes > len(t.progress)/2
}
