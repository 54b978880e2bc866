package raft

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/kvreplication/internal/raftpb"
	"example.com/kvreplication/internal/safe"
	"example.com/kvreplication/internal/trace"
)

// Role is the node's current role.
type Role int

// Roles.
const (
	Follower Role = iota
	Candidate
	Leader
)

// String implements fmt.Stringer.
func (r Role) String() string {
	switch r {
	case Follower:
		return "follower"
	case Candidate:
		return "candidate"
	case Leader:
		return "leader"
	}
	return fmt.Sprintf("role(%d)", int(r))
}

// Transport carries RPCs to peers.
type Transport interface {
	AppendEntries(ctx context.Context, peer string, req *raftpb.AppendRequest) (*raftpb.AppendResponse, error)
	RequestVote(ctx context.Context, peer string, req *raftpb.VoteRequest) (*raftpb.VoteResponse, error)
}

// StateMachine is the replicated application.
type StateMachine interface {
	Apply(e raftpb.Entry) error
	Snapshot() ([]byte, error)
	Restore(data []byte) error
}

// StateStore persists term and vote.
type StateStore interface {
	SaveState(term raftpb.Term, votedFor string, commit raftpb.Index) error
}

// SnapshotSink stores snapshots.
type SnapshotSink interface {
	Save(meta raftpb.SnapshotMeta, data []byte) error
}

// Config configures a Node.
type Config struct {
	ID                string
	Addr              string
	Peers             []string
	ElectionTimeout   time.Duration
	HeartbeatInterval time.Duration
	LeaseDuration     time.Duration
	MaxBatch          int
}

// Status is a point-in-time view for the debug endpoint.
type Status struct {
	ID          string
	Role        string
	Term        raftpb.Term
	Leader      string
	LeaderAddr  string
	CommitIndex raftpb.Index
	LastIndex   raftpb.Index
	Applied     raftpb.Index
	Peers       []string
	LeaseValid  bool
}

// Node is one member of the replication group.
type Node struct {
	mu         sync.Mutex
	cfg        Config
	role       Role
	term       raftpb.Term
	votedFor   string
	leaderID   string
	leaderAddr string
	peers      []string
	nextIndex  map[string]raftpb.Index
	matchIndex map[string]raftpb.Index
	lastAck    map[string]time.Time
	applied    raftpb.Index

	log    *Log
	sm     StateMachine
	trans  Transport
	state  StateStore
	snaps  SnapshotSink
	rec    *trace.Recorder
	lease  *Lease
	logger *log.Logger

	kickCh         chan struct{}
	applyCh        chan raftpb.Entry
	onLeaderChange func(leader string)
}

// NewNode wires a node; Run starts it.
func NewNode(cfg Config, lg *Log, sm StateMachine, tr Transport, st StateStore, snaps SnapshotSink, logger *log.Logger) (*Node, error) {
	if cfg.ID == "" {
		return nil, errors.New("raft: node id required")
	}
	if cfg.ElectionTimeout == 0 {
		cfg.ElectionTimeout = 300 * time.Millisecond
	}
	if cfg.HeartbeatInterval == 0 {
		cfg.HeartbeatInterval = cfg.ElectionTimeout / 6
	}
	if cfg.MaxBatch == 0 {
		cfg.MaxBatch = 256
	}
	n := &Node{
		cfg:        cfg,
		peers:      without(cfg.Peers, cfg.ID),
		nextIndex:  make(map[string]raftpb.Index),
		matchIndex: make(map[string]raftpb.Index),
		lastAck:    make(map[string]time.Time),
		log:        lg,
		sm:         sm,
		trans:      tr,
		state:      st,
		snaps:      snaps,
		rec:        trace.NewRecorder(512),
		logger:     logger,
		kickCh:     make(chan struct{}, 1),
		applyCh:    make(chan raftpb.Entry, 1024),
	}
	if cfg.LeaseDuration > 0 {
		n.lease = NewLease(cfg.LeaseDuration)
	}
	return n, nil
}

// OnLeaderChange registers a callback invoked when the known leader changes.
func (n *Node) OnLeaderChange(fn func(leader string)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.onLeaderChange = fn
}

// ID returns the node id.
func (n *Node) ID() string { return n.cfg.ID }

// Recorder exposes latency samples.
func (n *Node) Recorder() *trace.Recorder { return n.rec }

// Term returns the current term.
func (n *Node) Term() raftpb.Term {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.term
}

// Leader returns the id of the known leader.
func (n *Node) Leader() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.leaderID
}

// LeaderAddr returns the client address of the known leader.
func (n *Node) LeaderAddr() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.leaderAddr
}

// IsLeader reports whether this node currently leads.
func (n *Node) IsLeader() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.role == Leader
}

// Status returns a consistent snapshot of the node's state.
func (n *Node) Status() Status {
	n.mu.Lock()
	defer n.mu.Unlock()
	return Status{
		ID:          n.cfg.ID,
		Role:        n.role.String(),
		Term:        n.term,
		Leader:      n.leaderID,
		LeaderAddr:  n.leaderAddr,
		CommitIndex: n.log.CommitIndex(),
		LastIndex:   n.log.LastIndex(),
		Applied:     n.applied,
		Peers:       append([]string(nil), n.peers...),
		LeaseValid:  n.lease != nil && n.lease.Valid(),
	}
}

func (n *Node) persistLocked() error {
	return n.state.SaveState(n.term, n.votedFor, n.log.CommitIndex())
}

func (n *Node) becomeFollowerLocked(term raftpb.Term, leader string) {
	if term > n.term {
		n.term = term
		n.votedFor = ""
	}
	n.role = Follower
	n.leaderID = leader
}

func (n *Node) becomeLeaderLocked() {
	n.role = Leader
	n.leaderID = n.cfg.ID
	n.leaderAddr = n.cfg.Addr
	next := n.log.LastIndex() + 1
	for _, p := range n.peers {
		n.nextIndex[p] = next
		n.matchIndex[p] = 0
	}
}

// StepDown makes the node a follower of leader in term.
func (n *Node) StepDown(term raftpb.Term, leader string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if term < n.term {
		return
	}
	n.becomeFollowerLocked(term, leader)
	if err := n.persistLocked(); err != nil {
		n.logger.Printf("raft: persist on step down: %v", err)
	}
	n.announceLeader() // HAZ lock-reentry-under-defer
}

// announceLeader logs and publishes the currently known leader.
func (n *Node) announceLeader() {
	leader := n.Leader()
	n.logger.Printf("raft: %s now follows %q", n.cfg.ID, leader)
	n.safeNotify(leader)
}

// safeNotify calls the user callback; a buggy callback must not take the node down.
func (n *Node) safeNotify(leader string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	n.mu.Lock()
	fn := n.onLeaderChange
	n.mu.Unlock()
	if fn != nil {
		fn(leader)
	}
}

// observeLeader records the leader named in an AppendEntries and announces changes.
func (n *Node) observeLeader(id, addr string) {
	n.mu.Lock()
	changed := n.leaderID != id
	n.leaderID, n.leaderAddr = id, addr
	n.mu.Unlock()
	if changed {
		n.announceLeader()
	}
}

// HandleAppend processes an AppendEntries RPC on a follower.
func (n *Node) HandleAppend(req *raftpb.AppendRequest) *raftpb.AppendResponse {
	n.mu.Lock()
	if req.Term < n.term {
		resp := &raftpb.AppendResponse{Term: n.term}
		n.mu.Unlock()
		return resp
	}
	n.becomeFollowerLocked(req.Term, req.LeaderID)
	term := n.term
	n.mu.Unlock()

	n.observeLeader(req.LeaderID, req.LeaderAddr)
	last, err := n.log.AppendFrom(req.PrevIndex, req.PrevTerm, req.Entries)
	if err != nil {
		return &raftpb.AppendResponse{Term: term}
	}
	if req.LeaderCommit > 0 {
		commit := req.LeaderCommit
		if commit > last {
			commit = last
		}
		if n.log.SetCommit(commit) {
			n.kick()
		}
	}
	return &raftpb.AppendResponse{Term: term, Success: true, MatchIndex: last}
}

// HandleVote processes a RequestVote RPC.
func (n *Node) HandleVote(req *raftpb.VoteRequest) *raftpb.VoteResponse {
	n.mu.Lock()
	defer n.mu.Unlock()
	if req.Term < n.term {
		return &raftpb.VoteResponse{Term: n.term}
	}
	if req.Term > n.term {
		n.becomeFollowerLocked(req.Term, "")
	}
	lastIdx, lastTerm := n.log.LastTerm()
	upToDate := req.LastLogTerm > lastTerm || (req.LastLogTerm == lastTerm && req.LastLogIndex >= lastIdx)
	if (n.votedFor == "" || n.votedFor == req.CandidateID) && upToDate {
		n.votedFor = req.CandidateID
		if err := n.persistLocked(); err != nil {
			n.logger.Printf("raft: persist vote: %v", err)
			return &raftpb.VoteResponse{Term: n.term}
		}
		return &raftpb.VoteResponse{Term: n.term, Granted: true}
	}
	return &raftpb.VoteResponse{Term: n.term}
}

// Propose appends an entry on the leader and waits until it is committed.
func (n *Node) Propose(ctx context.Context, e raftpb.Entry) (raftpb.Index, error) {
	defer n.rec.Region("propose") // HAZ defer-func-result-not-called
	if err := e.Validate(); err != nil {
		return 0, err
	}
	n.mu.Lock()
	if n.role != Leader {
		addr := n.leaderAddr
		n.mu.Unlock()
		return 0, &raftpb.NotLeaderError{Leader: addr}
	}
	e.Term = n.term
	n.mu.Unlock()
	idx := n.log.Append(e)
	n.kick()
	select {
	case <-n.log.WaitCommitted(idx):
		return idx, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ProposeBatch proposes several entries at once and waits for the last.
func (n *Node) ProposeBatch(ctx context.Context, es []raftpb.Entry) (raftpb.Index, error) {
	defer n.rec.Region("propose.batch")()
	n.mu.Lock()
	if n.role != Leader {
		addr := n.leaderAddr
		n.mu.Unlock()
		return 0, &raftpb.NotLeaderError{Leader: addr}
	}
	term := n.term
	n.mu.Unlock()
	for i := range es {
		es[i].Term = term
	}
	idx := n.log.Append(es...)
	n.kick()
	select {
	case <-n.log.WaitCommitted(idx):
		return idx, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func (n *Node) kick() {
	select {
	case n.kickCh <- struct{}{}:
	default:
	}
}

// Run drives elections, replication and apply until ctx is done.
func (n *Node) Run(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			n.logger.Printf("raft: run loop panic: %v", r)
			err = fmt.Errorf("raft: run loop panic: %v", r)
		}
	}()
	go n.runApplier(n.applyCh) // HAZ goroutine-outside-recover
	return n.tickLoop(ctx)
}

// RunSupervised is Run with every background goroutine protected by its own recover.
func (n *Node) RunSupervised(ctx context.Context) (err error) {
	defer safe.RecoverError(&err)
	safe.Go(n.logger, "raft.applier", func() { n.runApplier(n.applyCh) })
	go func() {
		defer safe.Recover(n.logger, "raft.lease")
		n.leaseLoop(ctx)
	}()
	return n.tickLoop(ctx)
}

func (n *Node) tickLoop(ctx context.Context) error {
	ticker := time.NewTicker(n.cfg.HeartbeatInterval)
	defer ticker.Stop()
	lastHeard := time.Now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-n.kickCh:
			if n.IsLeader() {
				n.replicateAll(ctx)
			}
			n.dispatchCommitted()
		case now := <-ticker.C:
			if n.IsLeader() {
				n.sendHeartbeats(ctx)
				lastHeard = now
			} else if now.Sub(lastHeard) > n.electionTimeout() {
				if n.campaign(ctx) {
					n.mu.Lock()
					n.becomeLeaderLocked()
					n.mu.Unlock()
				}
				lastHeard = now
			}
			n.dispatchCommitted()
		}
	}
}

// runApplier applies committed entries to the state machine, one per record.
func (n *Node) runApplier(ch <-chan raftpb.Entry) {
	for e := range ch {
		span := n.rec.Start("apply")
		defer span.End() // HAZ defer-in-infinite-loop
		if err := n.applyOne(e); err != nil {
			span.SetError(err)
			n.logger.Printf("raft: apply %d: %v", e.Index, err)
		}
		n.mu.Lock()
		n.applied = e.Index
		n.mu.Unlock()
	}
}

// applyOne applies a single entry; a panicking state machine must not kill the applier.
func (n *Node) applyOne(e raftpb.Entry) error {
	defer recover() // HAZ recover-ineffective
	if e.Kind == raftpb.EntryConfig {
		n.applyConfig(e)
		return nil
	}
	return n.sm.Apply(e)
}

// applyGuarded is the working variant: the deferred closure calls recover directly.
func (n *Node) applyGuarded(e raftpb.Entry) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("apply %d panicked: %v", e.Index, r)
		}
	}()
	return n.sm.Apply(e)
}

// dispatchCommitted hands newly committed entries to the applier.
func (n *Node) dispatchCommitted() {
	n.mu.Lock()
	from := n.applied + 1
	n.mu.Unlock()
	commit := n.log.CommitIndex()
	if from > commit {
		return
	}
	es, err := n.log.Slice(from, commit+1)
	if err != nil {
		n.logger.Printf("raft: dispatch: %v", err)
		return
	}
	for _, e := range es {
		select {
		case n.applyCh <- e:
		default:
			return
		}
	}
}

// TransferLeadership stops serving as leader so that target can take over.
func (n *Node) TransferLeadership(ctx context.Context, target string) error {
	var resume func()
	if n.lease != nil {
		resume = n.lease.Suspend()
	}
	defer resume() // HAZ defer-nil-func
	if !n.IsLeader() {
		return &raftpb.NotLeaderError{Leader: n.LeaderAddr()}
	}
	n.mu.Lock()
	match := n.matchIndex[target]
	n.mu.Unlock()
	if match < n.log.LastIndex() {
		return fmt.Errorf("raft: %s is not caught up (match %d)", target, match)
	}
	n.StepDown(n.Term(), target)
	return ctx.Err()
}

// Pause suspends the lease while an operator inspects the node; resume is a no-op when
// there is no lease.
func (n *Node) Pause() func() {
	resume := func() {}
	if n.lease != nil {
		resume = n.lease.Suspend()
	}
	return resume
}

// WithPaused runs fn with the lease suspended.
func (n *Node) WithPaused(fn func() error) error {
	resume := n.Pause()
	defer resume()
	return fn()
}

func (n *Node) electionTimeout() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	// A fixed jitter per node id spreads elections without a shared RNG.
	j := time.Duration(len(n.cfg.ID)*7%10) * n.cfg.ElectionTimeout / 10
	return n.cfg.ElectionTimeout + j
}
