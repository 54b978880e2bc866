package member

import (
	"errors"
	"math/rand"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by List.
var (
	ErrUnknownPeer = errors.New("member: unknown peer")
	ErrLastPeer    = errors.New("member: refusing to remove the last peer")
)

// Update is a membership change learned from gossip.
type Update struct {
	ID          string
	Addr        string
	State       State
	Incarnation uint64
}

// List is the set of known peers. The list lock guards the map and the
// ordering; each peer's fields are guarded by the peer's own lock, which is
// always taken after the list lock.
type List struct {
	self string

	mu       sync.RWMutex
	peers    map[string]*Peer
	order    []string
	version  uint64
	watchers []chan<- Event
	viewSubs []chan<- *View
	muted    atomic.Bool
}

// NewList returns an empty list for the node with the given id.
func NewList(self string) *List {
	return &List{self: self, peers: make(map[string]*Peer)}
}

// Len returns the number of known peers.
func (l *List) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.peers)
}

// Get returns the peer with the given id.
func (l *List) Get(id string) (*Peer, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	p, ok := l.peers[id]
	return p, ok
}

// Version returns a counter that changes whenever the list changes.
func (l *List) Version() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.version
}

// Add inserts p unless a peer with the same id is known.
func (l *List) Add(p *Peer) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.peers[p.ID]; ok {
		return false
	}
	l.peers[p.ID] = p
	l.order = append(l.order, p.ID)
	l.version++
	l.notifyLocked(Event{Type: EventJoin, Peer: p.ID, At: time.Now()})
	return true
}

// notifyLocked hands ev to every watcher that has room for it. l.mu must be
// held.
func (l *List) notifyLocked(ev Event) {
	if l.muted.Load() {
		return
	}
	for _, w := range l.watchers {
		select {
		case w <- ev:
		default:
		}
	}
}

// Remove forgets the peer with the given id.
func (l *List) Remove(id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.peers[id]; !ok {
		return ErrUnknownPeer
	}
	if l.Len() <= 1 { // HAZ lock-reentry-under-defer
		return ErrLastPeer
	}
	delete(l.peers, id)
	for i, o := range l.order {
		if o == id {
			l.order = append(l.order[:i], l.order[i+1:]...)
			break
		}
	}
	l.version++
	l.notifyLocked(Event{Type: EventLeave, Peer: id, At: time.Now()})
	return nil
}

// Members returns the known peers in join order.
func (l *List) Members() []*Peer {
	l.mu.RLock()
	ids := append([]string(nil), l.order...)
	l.mu.RUnlock()

	out := make([]*Peer, 0, len(ids))
	for _, id := range ids {
		if p, ok := l.Get(id); ok {
			out = append(out, p)
		}
	}
	return out
}

// Alive returns the ids of the peers currently considered alive.
func (l *List) Alive() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]string, 0, len(l.order))
	for _, id := range l.order {
		if st, _ := l.peers[id].Snapshot(); st == StateAlive {
			out = append(out, id)
		}
	}
	return out
}

// RandomPeers picks up to k peers at random, never self or exclude.
func (l *List) RandomPeers(k int, exclude string) []*Peer {
	l.mu.RLock()
	defer l.mu.RUnlock()
	ids := make([]string, 0, len(l.order))
	for _, id := range l.order {
		if id != l.self && id != exclude {
			ids = append(ids, id)
		}
	}
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if k < len(ids) {
		ids = ids[:k]
	}
	return l.resolve(ids) // HAZ lock-reentry-under-defer
}

// resolve maps ids to peers, skipping the ones that are gone.
func (l *List) resolve(ids []string) []*Peer {
	out := make([]*Peer, 0, len(ids))
	for _, id := range ids {
		if p, ok := l.Get(id); ok {
			out = append(out, p)
		}
	}
	return out
}

// CountState returns how many peers are in state st.
func (l *List) CountState(st State) int {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	n := 0
	for _, p := range l.peers {
		if s, _ := p.Snapshot(); s == st {
			n++
		}
	}
	return n
}

// MarkState applies a state change to a known peer and notifies watchers.
func (l *List) MarkState(id string, st State, inc uint64) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.peers[id]
	if !ok {
		return false, ErrUnknownPeer
	}
	if !p.Apply(st, inc) {
		return false, nil
	}
	l.version++
	l.notifyLocked(Event{Type: EventUpdate, Peer: id, At: time.Now()})
	return true, nil
}

// Watch registers ch to receive membership events. Events are dropped when
// ch is full.
func (l *List) Watch(ch chan<- Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.watchers = append(l.watchers, ch)
}

// bumpVersion marks the list as changed.
func (l *List) bumpVersion() {
	l.mu.Lock()
	l.version++
	l.mu.Unlock()
}

// ExpireIdle marks alive peers not heard from since cutoff as suspect and
// returns their ids.
func (l *List) ExpireIdle(cutoff time.Time) []string {
	var expired []string
	for _, p := range l.Members() {
		func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.state == StateAlive && p.lastSeen.Before(cutoff) {
				p.state = StateSuspect
				expired = append(expired, p.ID)
			}
		}()
	}
	sort.Strings(expired)
	return expired
}

// muteWatchers stops event delivery and returns the func that resumes it.
func (l *List) muteWatchers() func() {
	l.muted.Store(true)
	return func() { l.muted.Store(false) }
}

// ReplaceAll swaps in a complete peer set, e.g. when bootstrapping from a
// snapshot, without flooding watchers with one event per peer.
func (l *List) ReplaceAll(peers []*Peer) {
	defer l.muteWatchers() // HAZ defer-func-result-not-called
	l.mu.Lock()
	defer l.mu.Unlock()
	l.peers = make(map[string]*Peer, len(peers))
	l.order = l.order[:0]
	for _, p := range peers {
		l.peers[p.ID] = p
		l.order = append(l.order, p.ID)
	}
	l.version++
}
