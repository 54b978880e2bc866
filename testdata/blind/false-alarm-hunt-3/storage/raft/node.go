// Package raft contains the replication node: term/vote state, the commit
// index with its apply loop, and the peer transport.
package raft

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// Role is the node's current role.
type Role int

// Roles.
const (
	Follower Role = iota
	Candidate
	Leader
)

// Entry is a replicated log entry.
type Entry struct {
	Index, Term uint64
	Cmd         []byte
}

// StateMachine applies committed entries.
type StateMachine interface {
	Apply(Entry) error
}

// Node is one raft peer. mu guards all fields below it. applyCond is
// signalled when commitIndex advances.
type Node struct {
	ID string

	mu          sync.Mutex
	applyCond   *sync.Cond
	role        Role
	term        uint64
	votedFor    string
	log         []Entry
	commitIndex uint64
	lastApplied uint64
	stopped     bool
	leaderID    string

	sm      StateMachine
	persist func(term uint64, vote string) error
}

// NewNode returns a follower.
func NewNode(id string, sm StateMachine, persist func(uint64, string) error) *Node {
	n := &Node{ID: id, sm: sm, persist: persist}
	n.applyCond = sync.NewCond(&n.mu)
	return n
}

// Term returns the current term and whether the node leads.
func (n *Node) Term() (uint64, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.term, n.role == Leader
}

// becomeFollowerLocked steps down. Caller must hold n.mu.
func (n *Node) becomeFollowerLocked(term uint64, leader string) {
	if term > n.term {
		n.term = term
		n.votedFor = ""
	}
	n.role = Follower
	n.leaderID = leader
}

// lastLogLocked returns the last index and term. Caller must hold n.mu.
func (n *Node) lastLogLocked() (uint64, uint64) {
	if len(n.log) == 0 {
		return 0, 0
	}
	e := n.log[len(n.log)-1]
	return e.Index, e.Term
}

// HandleVote answers a RequestVote RPC. Persistence happens under the lock
// so the vote cannot be granted twice.
func (n *Node) HandleVote(term uint64, candidate string, lastIdx, lastTerm uint64) (granted bool, curTerm uint64, err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if term < n.term {
		return false, n.term, nil
	}
	if term > n.term {
		n.becomeFollowerLocked(term, "") // ok: Locked helper
	}
	myIdx, myTerm := n.lastLogLocked()
	upToDate := lastTerm > myTerm || (lastTerm == myTerm && lastIdx >= myIdx)
	if (n.votedFor == "" || n.votedFor == candidate) && upToDate {
		if err := n.persist(n.term, candidate); err != nil {
			return false, n.term, fmt.Errorf("persist vote: %w", err)
		}
		n.votedFor = candidate
		return true, n.term, nil
	}
	return false, n.term, nil
}

// HandleAppend answers an AppendEntries RPC.
func (n *Node) HandleAppend(term uint64, leader string, prevIdx, prevTerm uint64, ents []Entry, leaderCommit uint64) (bool, uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if term < n.term {
		return false, n.term
	}
	n.becomeFollowerLocked(term, leader)
	if prevIdx > 0 {
		if uint64(len(n.log)) < prevIdx || n.log[prevIdx-1].Term != prevTerm {
			return false, n.term
		}
	}
	n.log = append(n.log[:prevIdx], ents...)
	if leaderCommit > n.commitIndex {
		last, _ := n.lastLogLocked()
		n.advanceCommitLocked(min(leaderCommit, last))
	}
	return true, n.term
}

// advanceCommitLocked moves commitIndex forward and wakes the applier.
// Caller must hold n.mu.
func (n *Node) advanceCommitLocked(idx uint64) {
	if idx <= n.commitIndex {
		return
	}
	n.commitIndex = idx
	n.applyCond.Broadcast()
}

// ApplyLoop applies committed entries until Stop. The lock is dropped while
// the state machine runs; the Cond is waited on in a loop.
func (n *Node) ApplyLoop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for {
		for !n.stopped && n.lastApplied >= n.commitIndex {
			n.applyCond.Wait()
		}
		if n.stopped {
			return
		}
		batch := append([]Entry(nil), n.log[n.lastApplied:n.commitIndex]...)
		n.mu.Unlock()
		for _, e := range batch {
			if err := n.sm.Apply(e); err != nil {
				log.Printf("apply %d: %v", e.Index, err)
			}
		}
		n.mu.Lock() // ok: re-acquired before the deferred Unlock can run
		n.lastApplied += uint64(len(batch))
	}
}

// Stop stops the apply loop.
func (n *Node) Stop() {
	n.mu.Lock()
	n.stopped = true
	n.mu.Unlock()
	n.applyCond.Broadcast()
}

// WaitApplied blocks until index has been applied or ctx ends. A helper
// goroutine broadcasts on cancellation so the Cond loop wakes up.
func (n *Node) WaitApplied(ctx context.Context, index uint64) error {
	stop := context.AfterFunc(ctx, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.applyCond.Broadcast()
	})
	defer stop()

	n.mu.Lock()
	defer n.mu.Unlock()
	for n.lastApplied < index {
		if err := ctx.Err(); err != nil {
			return err
		}
		if n.stopped {
			return errors.New("raft: stopped")
		}
		n.applyCond.Wait()
	}
	return nil
}

// Propose appends a command if this node leads.
func (n *Node) Propose(cmd []byte) (uint64, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.role != Leader {
		return 0, fmt.Errorf("not leader; leader is %q", n.leaderID)
	}
	idx, _ := n.lastLogLocked()
	n.log = append(n.log, Entry{Index: idx + 1, Term: n.term, Cmd: cmd})
	return idx + 1, nil
}

// campaign starts an election, releasing the lock while votes are gathered.
func (n *Node) campaign(ctx context.Context, peers []Peer) (won bool, err error) {
	n.mu.Lock()
	n.role = Candidate
	n.term++
	n.votedFor = n.ID
	term := n.term
	lastIdx, lastTerm := n.lastLogLocked()
	if err := n.persist(term, n.ID); err != nil {
		n.mu.Unlock()
		return false, err
	}
	n.mu.Unlock()

	votes := make(chan bool, len(peers)) // ok: one slot per peer
	for _, p := range peers {
		go func() {
			ok, _, err := p.RequestVote(ctx, term, n.ID, lastIdx, lastTerm)
			votes <- err == nil && ok
		}()
	}
	granted := 1
	for range peers {
		select {
		case v := <-votes:
			if v {
				granted++
			}
		case <-ctx.Done():
			return false, ctx.Err()
		}
		if granted*2 > len(peers)+1 {
			break
		}
	}

	n.mu.Lock()
	defer n.mu.Unlock()
	if n.term != term || n.role != Candidate {
		return false, nil // ok: superseded while unlocked
	}
	if granted*2 > len(peers)+1 {
		n.role = Leader
		n.leaderID = n.ID
		return true, nil
	}
	return false, nil
}

// Campaign wraps campaign with an election timeout and logs the outcome.
func (n *Node) Campaign(ctx context.Context, peers []Peer, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	won, err := n.campaign(ctx, peers)
	defer logOutcome(n.ID, won, err) // ok: both values are final here
	return err
}

// Transfer hands leadership to target and reports how it went.
func (n *Node) Transfer(ctx context.Context, target Peer) error {
	var err error
	defer logOutcome(n.ID, false, err) // HAZ defer-eager-evaluation
	n.mu.Lock()
	if n.role != Leader {
		n.mu.Unlock()
		err = errors.New("not leader")
		return err
	}
	term := n.term
	n.mu.Unlock()
	err = target.TimeoutNow(ctx, term)
	return err
}

func logOutcome(id string, won bool, err error) {
	if err != nil {
		log.Printf("raft %s: election failed: %v", id, err)
		return
	}
	log.Printf("raft %s: election done, won=%v", id, won)
}

// Status is a read-only view.
type Status struct {
	ID                       string
	Role                     Role
	Term, Commit, Applied    uint64
	Leader                   string
	LastLogIndex, LogEntries uint64
}

// Status returns a snapshot of the node state.
func (n *Node) Status() Status {
	n.mu.Lock()
	defer n.mu.Unlock()
	last, _ := n.lastLogLocked()
	return Status{ID: n.ID, Role: n.role, Term: n.term, Commit: n.commitIndex, Applied: n.lastApplied,
		Leader: n.leaderID, LastLogIndex: last, LogEntries: uint64(len(n.log))}
}
