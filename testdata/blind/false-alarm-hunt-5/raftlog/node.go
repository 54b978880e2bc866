package raftlog

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// State is a node's raft role.
type State uint8

// Roles.
const (
	Follower State = iota
	Candidate
	Leader
)

func (s State) String() string {
	return [...]string{"follower", "candidate", "leader"}[s]
}

// MsgType is the kind of a raft message.
type MsgType uint8

// Message kinds.
const (
	MsgApp MsgType = iota
	MsgAppResp
	MsgVote
	MsgVoteResp
	MsgHeartbeat
	MsgHeartbeatResp
)

// Message is exchanged between nodes.
type Message struct {
	Type    MsgType
	From    uint64
	To      uint64
	Term    uint64
	Index   uint64
	LogTerm uint64
	Commit  uint64
	Entries []Entry
	Reject  bool
}

// Transport delivers messages to peers.
type Transport interface {
	Send(ctx context.Context, m Message) error
}

// Storage persists entries and hard state.
type Storage interface {
	Save(ents []Entry) error
	SaveMeta(m Meta) error
}

// Errors returned by Node.
var (
	ErrStopped   = errors.New("raftlog: node stopped")
	ErrNotLeader = errors.New("raftlog: not the leader")
)

// Config configures a Node.
type Config struct {
	ID             uint64
	Peers          []uint64
	Log            *Log
	Storage        Storage
	Transport      Transport
	Logger         *log.Logger
	ElectionTicks  int
	HeartbeatTicks int
	TickInterval   time.Duration
}

type proposal struct {
	data   []byte
	result chan error
}

// Node runs the raft state machine for one member.
type Node struct {
	id             uint64
	peers          []uint64
	log            *Log
	storage        Storage
	transport      Transport
	logger         *log.Logger
	tracker        *Tracker
	electionTicks  int
	heartbeatTicks int
	tickInterval   time.Duration

	mu      sync.Mutex
	term    uint64
	vote    uint64
	lead    uint64
	state   State
	elapsed int

	propc    chan proposal
	recvc    chan Message
	applyc   chan []Entry
	stopc    chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// NewNode builds a follower from cfg.
func NewNode(cfg Config) *Node {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.TickInterval <= 0 {
		cfg.TickInterval = 100 * time.Millisecond
	}
	return &Node{
		id: cfg.ID, peers: cfg.Peers, log: cfg.Log, storage: cfg.Storage,
		transport: cfg.Transport, logger: cfg.Logger,
		tracker:        NewTracker(cfg.Peers, cfg.Log.LastIndex()+1),
		electionTicks:  max(cfg.ElectionTicks, 10),
		heartbeatTicks: max(cfg.HeartbeatTicks, 1),
		tickInterval:   cfg.TickInterval,
		propc:          make(chan proposal),
		recvc:          make(chan Message, 256),
		applyc:         make(chan []Entry, 64),
		stopc:          make(chan struct{}),
		done:           make(chan struct{}),
	}
}

// Start runs the node loop in its own goroutine.
func (n *Node) Start(ctx context.Context) { go n.run(ctx) }

// run is the single goroutine that owns ticks, proposals and messages. The
// loop leaves through the returns in the select.
func (n *Node) run(ctx context.Context) {
	defer close(n.done)
	t := time.NewTicker(n.tickInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.stopc:
			return
		case <-t.C:
			n.tick(ctx)
		case p := <-n.propc:
			n.handleProposal(p)
		case m := <-n.recvc:
			n.step(ctx, m)
		}
	}
}

// Stop ends the loop and waits for it.
func (n *Node) Stop() {
	n.stopOnce.Do(func() { close(n.stopc) })
	<-n.done
}

// Propose submits data and waits until it is persisted on the leader. The
// result channel has room for the loop's single reply, so the loop never
// blocks when we give up early.
func (n *Node) Propose(ctx context.Context, data []byte) error {
	p := proposal{data: data, result: make(chan error, 1)}
	select {
	case n.propc <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return ErrStopped
	}
	select {
	case err := <-p.result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return ErrStopped
	}
}

// Step delivers a message from a peer.
func (n *Node) Step(ctx context.Context, m Message) error {
	select {
	case n.recvc <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return ErrStopped
	}
}

// handleProposal appends a proposal on the leader. Every path unlocks
// before replying.
func (n *Node) handleProposal(p proposal) {
	n.mu.Lock()
	if n.state != Leader {
		lead := n.lead
		n.mu.Unlock()
		p.result <- fmt.Errorf("%w (leader is %d)", ErrNotLeader, lead)
		return
	}
	e := Entry{Index: n.log.LastIndex() + 1, Term: n.term, Data: p.data}
	n.mu.Unlock()

	if _, err := n.log.Append(e); err != nil {
		p.result <- err
		return
	}
	if err := n.storage.Save([]Entry{e}); err != nil {
		p.result <- err
		return
	}
	n.tracker.Update(n.id, e.Index)
	p.result <- nil
}

func (n *Node) step(ctx context.Context, m Message) {
	out := n.process(m)
	n.sendAll(ctx, out)
}

// process applies m to the state under the lock and returns replies.
func (n *Node) process(m Message) []Message {
	n.mu.Lock()
	defer n.mu.Unlock()
	if m.Term > n.term {
		lead := uint64(0)
		if m.Type == MsgApp || m.Type == MsgHeartbeat {
			lead = m.From
		}
		n.becomeFollowerLocked(m.Term, lead)
	}
	switch m.Type {
	case MsgApp, MsgHeartbeat:
		return []Message{n.handleAppendLocked(m)}
	case MsgAppResp, MsgHeartbeatResp:
		n.handleAppendRespLocked(m)
	case MsgVote:
		return []Message{n.handleVoteLocked(m)}
	case MsgVoteResp:
		n.handleVoteRespLocked(m)
	}
	return nil
}

func (n *Node) becomeFollowerLocked(term, lead uint64) {
	n.state = Follower
	n.term = term
	n.vote = 0
	n.lead = lead
	n.elapsed = 0
	if err := n.storage.SaveMeta(Meta{Term: term, Commit: n.log.Committed()}); err != nil {
		n.logger.Printf("raftlog: node %d persisting term %d: %v", n.id, term, err)
	}
}

func (n *Node) becomeLeaderLocked() {
	n.state = Leader
	n.lead = n.id
	n.elapsed = 0
	n.logger.Printf("raftlog: node %d became leader at term %d", n.id, n.term)
}

func (n *Node) handleAppendLocked(m Message) Message {
	resp := Message{Type: MsgAppResp, From: n.id, To: m.From, Term: n.term}
	if m.Term < n.term {
		resp.Reject = true
		return resp
	}
	n.elapsed = 0
	n.lead = m.From
	if m.Type == MsgHeartbeat {
		n.log.CommitTo(min(m.Commit, n.log.LastIndex()))
		resp.Type = MsgHeartbeatResp
		return resp
	}
	last, ok := n.log.MaybeAppend(m.Index, m.LogTerm, m.Commit, m.Entries)
	if !ok {
		resp.Reject = true
		resp.Index = m.Index
		resp.LogTerm = n.log.LastIndex()
		return resp
	}
	if err := n.storage.Save(m.Entries); err != nil {
		n.logger.Printf("raftlog: node %d saving entries: %v", n.id, err)
		resp.Reject = true
		return resp
	}
	resp.Index = last
	return resp
}

func (n *Node) handleAppendRespLocked(m Message) {
	if n.state != Leader || m.Reject || m.Type != MsgAppResp {
		return
	}
	if n.tracker.Update(m.From, m.Index) {
		if c := n.tracker.Committed(); c > n.log.Committed() {
			n.log.CommitTo(c)
			n.publishCommitted()
		}
	}
}

// publishCommitted hands committed entries to the apply loop without
// blocking; if the apply queue is full they are offered again later.
func (n *Node) publishCommitted() {
	ents := n.log.NextCommitted()
	if len(ents) == 0 {
		return
	}
	select {
	case n.applyc <- ents:
		n.log.AppliedTo(ents[len(ents)-1].Index)
	default:
	}
}

func (n *Node) handleVoteLocked(m Message) Message {
	resp := Message{Type: MsgVoteResp, From: n.id, To: m.From, Term: n.term}
	canVote := n.vote == 0 || n.vote == m.From
	if m.Term < n.term || !canVote || !n.log.IsUpToDate(m.Index, m.LogTerm) {
		resp.Reject = true
		return resp
	}
	n.vote = m.From
	n.elapsed = 0
	return resp
}

func (n *Node) handleVoteRespLocked(m Message) {
	if n.state != Candidate {
		return
	}
	if _, _, won := n.tracker.RecordVote(m.From, !m.Reject); won {
		n.becomeLeaderLocked()
	}
}

type tickAction uint8

const (
	actNone tickAction = iota
	actCampaign
	actHeartbeat
)

func (n *Node) advanceClock() tickAction {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.elapsed++
	switch {
	case n.state == Leader && n.elapsed >= n.heartbeatTicks:
		n.elapsed = 0
		return actHeartbeat
	case n.state != Leader && n.elapsed >= n.electionTicks:
		n.elapsed = 0
		return actCampaign
	}
	return actNone
}

func (n *Node) tick(ctx context.Context) {
	switch n.advanceClock() {
	case actCampaign:
		n.sendAll(ctx, n.becomeCandidate())
	case actHeartbeat:
		n.broadcastHeartbeat(ctx)
	}
}

// becomeCandidate starts an election and returns the vote requests.
func (n *Node) becomeCandidate() []Message {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.term++
	n.state = Candidate
	n.vote = n.id
	n.tracker.ResetVotes()
	n.tracker.RecordVote(n.id, true)
	if err := n.storage.SaveMeta(Meta{Term: n.term, Vote: n.id, Commit: n.log.Committed()}); err != nil {
		n.logger.Printf("raftlog: node %d persisting vote: %v", n.id, err)
	}
	msgs := make([]Message, 0, len(n.peers))
	for _, p := range n.peers {
		if p != n.id {
			msgs = append(msgs, Message{Type: MsgVote, From: n.id, To: p, Term: n.term, Index: n.log.LastIndex(), LogTerm: n.log.LastTerm()})
		}
	}
	return msgs
}

// sendAll sends msgs in parallel and waits; each goroutine reads its own
// per-iteration m (Go 1.22 loop variables).
func (n *Node) sendAll(ctx context.Context, msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	timeout := n.tickInterval * time.Duration(n.heartbeatTicks)
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			if err := n.transport.Send(sctx, m); err != nil {
				n.logger.Printf("raftlog: send %d->%d: %v", m.From, m.To, err)
			}
		}()
	}
	wg.Wait()
}

// broadcastHeartbeat tells every follower the leader is alive.
func (n *Node) broadcastHeartbeat(ctx context.Context) {
	n.mu.Lock()
	term := n.term
	n.mu.Unlock()
	commit := n.log.Committed()
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(n.peers); i++ {
		if n.peers[i] == n.id {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			m := Message{Type: MsgHeartbeat, From: n.id, To: n.peers[i], Term: term, Commit: commit}
			if err := n.transport.Send(ctx, m); err != nil {
				n.logger.Printf("raftlog: heartbeat to %d: %v", m.To, err)
			}
		}()
	}
	wg.Wait()
}

// Replicate sends pending entries to every follower and waits for all of
// them or for ctx. The results channel holds one value per sender, so the
// early return on ctx.Done leaves no goroutine blocked; the peer id is
// passed as an argument even though the loop assigns an outer variable.
func (n *Node) Replicate(ctx context.Context) error {
	var i int
	results := make(chan error, len(n.peers))
	for i = 0; i < len(n.peers); i++ {
		go func(peer uint64) {
			results <- n.sendAppend(ctx, peer)
		}(n.peers[i])
	}
	var errs []error
	for range n.peers {
		select {
		case err := <-results:
			errs = append(errs, err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
}

func (n *Node) sendAppend(ctx context.Context, peer uint64) error {
	if peer == n.id {
		return nil
	}
	var next uint64
	n.tracker.Visit(func(id uint64, p Progress) {
		if id == peer {
			next = p.Next
		}
	})
	prevTerm, err := n.log.Term(next - 1)
	if err != nil {
		return fmt.Errorf("peer %d needs a snapshot: %w", peer, err)
	}
	ents, err := n.log.Slice(next, n.log.LastIndex()+1, 1<<20)
	if err != nil {
		return err
	}
	st := n.Status()
	return n.transport.Send(ctx, Message{Type: MsgApp, From: n.id, To: peer, Term: st.Term,
		Index: next - 1, LogTerm: prevTerm, Commit: st.Commit, Entries: ents})
}

// Status is a snapshot of the node's role.
type Status struct {
	ID, Term, Lead, Commit uint64
	State                  State
}

// Status returns the node's current role and indices.
func (n *Node) Status() Status {
	n.mu.Lock()
	defer n.mu.Unlock()
	return Status{ID: n.id, Term: n.term, Lead: n.lead, Commit: n.log.Committed(), State: n.state}
}

// ApplyLoop feeds committed entries to apply until the node is dropped.
// The defer is inside a per-entry function literal, so it runs every entry.
func (n *Node) ApplyLoop(apply func(Entry) error) {
	for ents := range n.applyc {
		for _, e := range ents {
			func() {
				start := time.Now()
				defer func() { n.observeApply(e.Index, time.Since(start)) }()
				if err := apply(e); err != nil {
					n.logger.Printf("raftlog: applying %d: %v", e.Index, err)
				}
			}()
		}
	}
}

func (n *Node) observeApply(index uint64, d time.Duration) {
	if d > 10*n.tickInterval {
		n.logger.Printf("raftlog: slow apply of %d took %s", index, d)
	}
}

// trace returns a function that logs slow operations; use defer n.trace(op)().
func (n *Node) trace(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > n.tickInterval {
			n.logger.Printf("raftlog: node %d %s took %s", n.id, op, d)
		}
	}
}

// CompactTo drops applied entries through index and logs the resulting
// shape of the log.
func (n *Node) CompactTo(index uint64) error {
	defer n.log.Stats().Report(n.logger) // HAZ defer-call-chain
	if err := n.log.Compact(index); err != nil {
		return err
	}
	n.logger.Printf("raftlog: node %d compacted through %d", n.id, index)
	return nil
}
