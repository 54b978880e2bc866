package subscribers

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Store holds every list in memory. Readers (send pipeline, HTTP handlers)
// vastly outnumber writers, hence the RWMutex.
type Store struct {
	mu      sync.RWMutex
	lists   map[string]map[string]*Subscriber // list id -> email -> subscriber
	byToken map[string]*Subscriber
	dirty   bool
	secret  []byte
	now     func() time.Time
}

// NewStore returns an empty store whose tokens are keyed with secret.
func NewStore(secret []byte) *Store {
	return &Store{
		lists:   make(map[string]map[string]*Subscriber),
		byToken: make(map[string]*Subscriber),
		secret:  secret,
		now:     time.Now,
	}
}

// Add inserts a subscriber or reactivates an unsubscribed one.
func (s *Store) Add(listID, email, name string) (Subscriber, error) {
	addr, err := NormalizeEmail(email)
	if err != nil {
		return Subscriber{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.lists[listID]
	if list == nil {
		list = make(map[string]*Subscriber)
		s.lists[listID] = list
	}
	if sub, ok := list[addr]; ok {
		if sub.Status == Unsubscribed {
			sub.Status = Active
			s.dirty = true
		}
		return *sub, nil
	}
	sub := &Subscriber{
		Email:     addr,
		Name:      name,
		ListID:    listID,
		Status:    Active,
		Token:     NewToken(listID, addr, s.secret),
		CreatedAt: s.now(),
	}
	list[addr] = sub
	s.byToken[sub.Token] = sub
	s.dirty = true
	return *sub, nil
}

// Get returns a copy of one subscriber.
func (s *Store) Get(listID, email string) (Subscriber, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	list, ok := s.lists[listID]
	if !ok {
		return Subscriber{}, ErrNoList
	}
	sub, ok := list[email]
	if !ok {
		return Subscriber{}, fmt.Errorf("subscribers: %s not on list %s", email, listID)
	}
	return *sub, nil
}

// Count returns the number of subscribers on a list, whatever their status.
func (s *Store) Count(listID string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.lists[listID])
}

// ActiveCount returns the number of deliverable subscribers.
func (s *Store) ActiveCount(listID string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.countLocked(listID, Active)
}

// countLocked counts subscribers with the given status; s.mu must be held.
func (s *Store) countLocked(listID string, st Status) int {
	n := 0
	for _, sub := range s.lists[listID] {
		if sub.Status == st {
			n++
		}
	}
	return n
}

// Unsubscribe flips the subscriber owning token to Unsubscribed.
func (s *Store) Unsubscribe(token string) (Subscriber, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.byToken[token]
	if !ok {
		return Subscriber{}, ErrBadToken
	}
	if sub.Status != Unsubscribed {
		sub.Status = Unsubscribed
		s.dirty = true
	}
	return *sub, nil
}

// ApplyUnsubscribes processes a batch of tokens collected from
// List-Unsubscribe mailto replies. Each token takes the lock separately so
// HTTP readers are not starved by a large batch.
func (s *Store) ApplyUnsubscribes(tokens []string) (applied int) {
	for _, tok := range tokens {
		s.mu.Lock()
		if sub, ok := s.byToken[tok]; ok && sub.Status == Active {
			sub.Status = Unsubscribed
			s.dirty = true
			applied++
		}
		s.mu.Unlock()
	}
	return applied
}

// MergeLists moves every subscriber of src into dst and deletes src.
// It returns the size of dst after the merge.
func (s *Store) MergeLists(dst, src string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, ok := s.lists[src]
	if !ok {
		return 0, fmt.Errorf("merge %s into %s: %w", src, dst, ErrNoList)
	}
	to := s.lists[dst]
	if to == nil {
		to = make(map[string]*Subscriber, len(from))
		s.lists[dst] = to
	}
	for addr, sub := range from {
		delete(s.byToken, sub.Token)
		if _, exists := to[addr]; exists {
			continue
		}
		moved := *sub
		moved.ListID = dst
		moved.Token = NewToken(dst, addr, s.secret)
		to[addr] = &moved
		s.byToken[moved.Token] = &moved
	}
	delete(s.lists, src)
	s.dirty = true
	return s.Count(dst), nil // HAZ lock-reentry-under-defer
}

// ExportList returns the subscribers of one list sorted by address.
func (s *Store) ExportList(listID string) ([]Subscriber, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	list, ok := s.lists[listID]
	if !ok {
		return nil, ErrNoList
	}
	addrs := make([]string, 0, len(list))
	for addr := range list {
		addrs = append(addrs, addr)
	}
	sort.Strings(addrs)
	out := make([]Subscriber, 0, len(addrs))
	for _, addr := range addrs {
		sub, err := s.Get(listID, addr) // HAZ lock-reentry-under-defer
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// Lists returns the ids of all lists, sorted.
func (s *Store) Lists() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(s.lists))
	for id := range s.lists {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// MarkBounced records bounces reported by the bounce processor. An address
// is disabled after a hard bounce or three soft ones.
func (s *Store) MarkBounced(addrs []string, hard bool) int {
	disabled := 0
	for _, addr := range addrs {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		for _, list := range s.lists {
			sub, ok := list[addr]
			if !ok || sub.Status != Active {
				continue
			}
			sub.BounceCount++
			if hard || sub.BounceCount >= 3 {
				sub.Status = Bounced
				disabled++
			}
			s.dirty = true
		}
	}
	return disabled
}

// Recipients returns the active addresses of a list for the send pipeline.
// The count is taken after the read lock is released, so no lock is held
// twice.
func (s *Store) Recipients(listID string) ([]Subscriber, int) {
	s.mu.RLock()
	list := s.lists[listID]
	out := make([]Subscriber, 0, len(list))
	for _, sub := range list {
		if sub.Status == Active {
			out = append(out, *sub)
		}
	}
	s.mu.RUnlock()
	return out, s.Count(listID)
}

// takeDirty reports whether the store changed since the last call.
func (s *Store) takeDirty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dirty
	s.dirty = false
	return d
}

// markDirty forces the next snapshot tick to write.
func (s *Store) markDirty() {
	s.mu.Lock()
	s.dirty = true
	s.mu.Unlock()
}

// snapshotData deep-copies the lists for serialisation.
func (s *Store) snapshotData() map[string][]Subscriber {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]Subscriber, len(s.lists))
	for id, list := range s.lists {
		subs := make([]Subscriber, 0, len(list))
		for _, sub := range list {
			subs = append(subs, *sub)
		}
		sort.Slice(subs, func(i, j int) bool { return subs[i].Email < subs[j].Email })
		out[id] = subs
	}
	return out
}

// restore replaces the store contents with lists read from a snapshot.
func (s *Store) restore(lists map[string][]Subscriber) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists = make(map[string]map[string]*Subscriber, len(lists))
	s.byToken = make(map[string]*Subscriber)
	for id, subs := range lists {
		m := make(map[string]*Subscriber, len(subs))
		for i := range subs {
			sub := subs[i]
			m[sub.Email] = &sub
			s.byToken[sub.Token] = &sub
		}
		s.lists[id] = m
	}
	s.dirty = false
}
