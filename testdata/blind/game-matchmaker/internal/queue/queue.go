// Package queue keeps the waiting players per region and skill band and runs
// one matcher goroutine per queue.
package queue

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/matchmaker/internal/player"
)

// ErrAlreadyQueued is returned when a player is queued twice.
var ErrAlreadyQueued = errors.New("player already queued")

// Key identifies one queue.
type Key struct {
	Region player.Region
	Band   player.Band
}

// KeyFor returns the queue a player belongs to.
func KeyFor(p *player.Player) Key {
	return Key{Region: p.Region, Band: p.Band()}
}

// String formats the key as "eu-west/gold".
func (k Key) String() string { return fmt.Sprintf("%s/%s", k.Region, k.Band) }

// Queue is a FIFO of waiting players guarded by a mutex.
type Queue struct {
	key     Key
	maxWait time.Duration

	mu      sync.Mutex
	waiting []*player.Player
	members map[string]*player.Player
}

// New returns an empty queue. Players waiting longer than maxWait are
// dropped by DrainExpired.
func New(key Key, maxWait time.Duration) *Queue {
	return &Queue{
		key:     key,
		maxWait: maxWait,
		members: make(map[string]*player.Player),
	}
}

// Key returns the queue's key.
func (q *Queue) Key() Key { return q.key }

// Enqueue appends p at the back of the queue.
func (q *Queue) Enqueue(p *player.Player) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.members[p.ID]; ok {
		return fmt.Errorf("%w: %s in %s", ErrAlreadyQueued, p.ID, q.key)
	}
	if p.JoinedAt.IsZero() {
		p.JoinedAt = time.Now()
	}
	q.members[p.ID] = p
	q.waiting = append(q.waiting, p)
	return nil
}

// Len returns the number of waiting players.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}

// Remove takes a player out of the queue, e.g. when they cancel the search.
func (q *Queue) Remove(id string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.removeLocked(id)
}

// removeLocked removes id; the caller holds q.mu.
func (q *Queue) removeLocked(id string) bool {
	if _, ok := q.members[id]; !ok {
		return false
	}
	delete(q.members, id)
	for i, p := range q.waiting {
		if p.ID == id {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			break
		}
	}
	return true
}

// PopN removes and returns the n longest-waiting players, or nil when fewer
// than n are waiting. Every path releases the lock explicitly.
func (q *Queue) PopN(n int) []*player.Player {
	q.mu.Lock()
	if n <= 0 || len(q.waiting) < n {
		q.mu.Unlock()
		return nil
	}
	batch := make([]*player.Player, n)
	copy(batch, q.waiting[:n])
	q.waiting = append(q.waiting[:0], q.waiting[n:]...)
	for _, p := range batch {
		delete(q.members, p.ID)
	}
	q.mu.Unlock()
	return batch
}

// Requeue puts players from a lobby that failed to start back at the front
// of the queue so they keep their priority.
func (q *Queue) Requeue(ps []*player.Player) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	for _, p := range ps {
		if _, dup := q.members[p.ID]; dup {
			return fmt.Errorf("requeue into %s: %w: %s", q.key, ErrAlreadyQueued, p.ID)
		}
	}
	front := make([]*player.Player, 0, len(ps)+len(q.waiting))
	front = append(front, ps...)
	q.waiting = append(front, q.waiting...)
	for _, p := range ps {
		q.members[p.ID] = p
	}
	q.mu.Unlock()
	return nil
}

// DrainExpired drops players who waited longer than the queue's maximum and
// returns them so the caller can notify their clients.
func (q *Queue) DrainExpired(now time.Time) []*player.Player {
	q.mu.Lock()
	defer q.mu.Unlock()
	var expired []*player.Player
	kept := q.waiting[:0]
	for _, p := range q.waiting {
		if p.Waited(now) > q.maxWait {
			expired = append(expired, p)
			delete(q.members, p.ID)
			continue
		}
		kept = append(kept, p)
	}
	q.waiting = kept
	if len(expired) > 0 {
		log.Printf("queue %s: dropped %d expired players, %d still waiting", q.key, len(expired), q.Len()) // HAZ lock-reentry-under-defer
	}
	return expired
}

// lock takes the queue lock and returns its unlock, for
// `defer q.lock()()`.
func (q *Queue) lock() func() {
	q.mu.Lock()
	return q.mu.Unlock
}

// Reorder sorts the waiting players, e.g. to put party members together.
func (q *Queue) Reorder(less func(a, b *player.Player) bool) {
	defer q.lock() // HAZ defer-func-result-not-called
	sort.SliceStable(q.waiting, func(i, j int) bool { return less(q.waiting[i], q.waiting[j]) })
}

// Boost moves a player to the front of the queue (compensation after a
// crashed lobby).
func (q *Queue) Boost(id string) bool {
	defer q.lock()()
	for i, p := range q.waiting {
		if p.ID == id {
			copy(q.waiting[1:i+1], q.waiting[:i])
			q.waiting[0] = p
			return true
		}
	}
	return false
}

// Snapshot returns copies of the waiting players, oldest first.
func (q *Queue) Snapshot() []player.Player {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]player.Player, 0, len(q.waiting))
	for _, p := range q.waiting {
		out = append(out, *p)
	}
	return out
}

// OldestWait returns how long the head of the queue has been waiting.
func (q *Queue) OldestWait(now time.Time) time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) == 0 {
		return 0
	}
	return q.waiting[0].Waited(now)
}

// SpreadOf returns the rating spread of the n oldest players; the matcher
// uses it to decide whether a lobby would be fair.
func (q *Queue) SpreadOf(n int) (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) < n || n == 0 {
		return 0, false
	}
	ratings := make([]int, n)
	for i := 0; i < n; i++ {
		ratings[i] = q.waiting[i].Rating
	}
	sort.Ints(ratings)
	return ratings[n-1] - ratings[0], true
}
