// Package match implements skill-based matchmaking with bounded waits.
package match

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/realtimegame/internal/telemetry"
)

// Errors returned by the queue.
var (
	ErrQueued  = errors.New("match: player already queued")
	ErrClosed  = errors.New("match: queue closed")
	ErrNoMatch = errors.New("match: no open match")
)

// Ticket is one player waiting for a match.
type Ticket struct {
	PlayerID string
	Rating   int
	Region   string
	Enqueued time.Time
	result   chan Match
}

// NewTicket creates a ticket whose result channel can hold the one match it
// will ever receive, so delivery never blocks.
func NewTicket(playerID string, rating int, region string) *Ticket {
	return &Ticket{PlayerID: playerID, Rating: rating, Region: region, Enqueued: time.Now(), result: make(chan Match, 1)}
}

// Result delivers the formed match.
func (t *Ticket) Result() <-chan Match { return t.result }

// Match is a formed group of players.
type Match struct {
	ID        string    `json:"id"`
	Players   []string  `json:"players"`
	Region    string    `json:"region"`
	AvgRating int       `json:"avg_rating"`
	Formed    time.Time `json:"formed"`
}

// Stats summarises the queue.
type Stats struct {
	Queued    int    `json:"queued"`
	Formed    uint64 `json:"formed"`
	Cancelled uint64 `json:"cancelled"`
	Expired   uint64 `json:"expired"`
}

// Log writes the stats as one line.
func (s Stats) Log(prefix string) {
	log.Printf("%s: queued=%d formed=%d cancelled=%d expired=%d", prefix, s.Queued, s.Formed, s.Cancelled, s.Expired)
}

// Queue is the matchmaking queue.
type Queue struct {
	mu        sync.Mutex
	tickets   []*Ticket
	byPlayer  map[string]*Ticket
	teamSize  int
	maxSpread int
	maxWait   time.Duration
	seq       uint64
	formed    uint64
	cancelled uint64
	expired   uint64
	closed    bool
	scorer    ScoreFunc
	onMatch   func(Match)
}

// NewQueue creates a queue forming groups of teamSize players whose ratings
// differ by at most maxSpread (widening with wait time).
func NewQueue(teamSize, maxSpread int, maxWait time.Duration) *Queue {
	return &Queue{
		byPlayer:  make(map[string]*Ticket),
		teamSize:  teamSize,
		maxSpread: maxSpread,
		maxWait:   maxWait,
		scorer:    DefaultScore,
	}
}

// OnMatch registers a callback run for every formed match.
func (q *Queue) OnMatch(fn func(Match)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.onMatch = fn
}

// Enqueue adds a ticket.
func (q *Queue) Enqueue(t *Ticket) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if _, ok := q.byPlayer[t.PlayerID]; ok {
		return fmt.Errorf("%w: %s", ErrQueued, t.PlayerID)
	}
	q.tickets = append(q.tickets, t)
	q.byPlayer[t.PlayerID] = t
	return nil
}

// Cancel removes a player's ticket; it reports false if the ticket is gone
// (already matched, expired or never queued).
func (q *Queue) Cancel(playerID string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	t, ok := q.byPlayer[playerID]
	if !ok {
		return false
	}
	q.removeLocked(map[string]bool{t.PlayerID: true})
	q.cancelled++
	return true
}

func (q *Queue) removeLocked(ids map[string]bool) {
	kept := q.tickets[:0]
	for _, t := range q.tickets {
		if ids[t.PlayerID] {
			delete(q.byPlayer, t.PlayerID)
			continue
		}
		kept = append(kept, t)
	}
	for i := len(kept); i < len(q.tickets); i++ {
		q.tickets[i] = nil
	}
	q.tickets = kept
}

// Len returns the number of waiting tickets.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.tickets)
}

// Stats returns a snapshot of the counters.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return Stats{Queued: len(q.tickets), Formed: q.formed, Cancelled: q.cancelled, Expired: q.expired}
}

// Pop removes and returns the n longest-waiting tickets, or nil if fewer are
// queued. Used by the tournament mode, which does its own seeding.
func (q *Queue) Pop(n int) []*Ticket {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if n <= 0 || len(q.tickets) < n {
		return nil
	}
	out := make([]*Ticket, n)
	copy(out, q.tickets[:n])
	ids := make(map[string]bool, n)
	for _, t := range out {
		ids[t.PlayerID] = true
	}
	q.removeLocked(ids)
	q.mu.Unlock()
	return out
}

// allowedSpread widens the rating window by 10 points per second waited by the
// longest-waiting ticket of the group.
func (q *Queue) allowedSpread(group []*Ticket, now time.Time) int {
	var oldest time.Time
	for _, t := range group {
		if oldest.IsZero() || t.Enqueued.Before(oldest) {
			oldest = t.Enqueued
		}
	}
	return q.maxSpread + int(now.Sub(oldest)/time.Second)*10
}

// formOnce forms at most one match and delivers it to its tickets.
func (q *Queue) formOnce(now time.Time) (Match, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.tickets) < q.teamSize {
		return Match{}, false
	}
	sorted := append([]*Ticket(nil), q.tickets...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Rating < sorted[j].Rating })
	for i := 0; i+q.teamSize <= len(sorted); i++ {
		group := sorted[i : i+q.teamSize]
		if spread(group) > q.allowedSpread(group, now) {
			continue
		}
		return q.newMatchLocked(group, now), true
	}
	return Match{}, false
}

func (q *Queue) newMatchLocked(group []*Ticket, now time.Time) Match {
	q.seq++
	q.formed++
	m := Match{
		ID:        fmt.Sprintf("m%06d", q.seq),
		Region:    group[0].Region,
		AvgRating: avgRating(group),
		Formed:    now,
	}
	ids := make(map[string]bool, len(group))
	for _, t := range group {
		m.Players = append(m.Players, t.PlayerID)
		ids[t.PlayerID] = true
	}
	q.removeLocked(ids)
	for _, t := range group {
		select {
		case t.result <- m:
		default: // a ticket is matched at most once; never block under the lock
		}
	}
	return m
}

// expire drops tickets that waited longer than maxWait.
func (q *Queue) expire(now time.Time) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids := make(map[string]bool)
	for _, t := range q.tickets {
		if now.Sub(t.Enqueued) > q.maxWait {
			ids[t.PlayerID] = true
		}
	}
	if len(ids) > 0 {
		q.removeLocked(ids)
		q.expired += uint64(len(ids))
	}
	return len(ids)
}

// Run forms matches every interval until ctx is cancelled.
func (q *Queue) Run(ctx context.Context, every time.Duration) {
	defer q.Stats().Log("matchmaker stopped") // HAZ defer-call-chain
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n := q.expire(now); n > 0 {
				log.Printf("match: %d tickets expired", n)
			}
			for {
				m, ok := q.formOnce(now)
				if !ok {
					break
				}
				q.notify(m)
			}
		}
	}
}

// notify runs the OnMatch callback outside the queue lock.
func (q *Queue) notify(m Match) {
	q.mu.Lock()
	fn := q.onMatch
	q.mu.Unlock()
	if fn == nil {
		return
	}
	defer log.Printf("match %s: OnMatch callback finished (recovered: %v)", m.ID, recover()) // HAZ recover-ineffective
	fn(m)
}

// Rebalance re-sorts the queue by wait time so the oldest tickets are
// considered first.
func (q *Queue) Rebalance() {
	defer telemetry.Trace("match.rebalance") // HAZ defer-func-result-not-called
	q.mu.Lock()
	defer q.mu.Unlock()
	sort.SliceStable(q.tickets, func(i, j int) bool { return q.tickets[i].Enqueued.Before(q.tickets[j].Enqueued) })
}

// Wait blocks until t is matched or ctx ends; on timeout the ticket is
// cancelled so it cannot be matched later.
func (q *Queue) Wait(ctx context.Context, t *Ticket) (Match, error) {
	select {
	case m := <-t.result:
		return m, nil
	case <-ctx.Done():
		if q.Cancel(t.PlayerID) {
			return Match{}, ctx.Err()
		}
		// Cancel failed: the ticket was matched, expired or popped. A match is
		// delivered under the queue lock before the ticket is removed, so if
		// there is one it is already buffered.
		select {
		case m := <-t.result:
			return m, nil
		default:
			return Match{}, ctx.Err()
		}
	}
}

// QuickMatch looks for a compatible partner already in the queue before the
// player joins it; the search is abandoned when ctx expires.
func (q *Queue) QuickMatch(ctx context.Context, t *Ticket) (Match, error) {
	found := make(chan Match)
	go func() { found <- q.searchOpen(t) }() // HAZ goroutine-blocked-send
	select {
	case m := <-found:
		if m.ID == "" {
			return Match{}, ErrNoMatch
		}
		return m, nil
	case <-ctx.Done():
		return Match{}, ctx.Err()
	}
}

// searchOpen pairs t with the best-scoring waiting ticket, if any.
func (q *Queue) searchOpen(t *Ticket) Match {
	q.mu.Lock()
	defer q.mu.Unlock()
	var best *Ticket
	bestScore := 0.0
	for _, o := range q.tickets {
		if o.Region != t.Region {
			continue
		}
		s := safeScore(q.scorer, t, o)
		if best == nil || s < bestScore {
			best, bestScore = o, s
		}
	}
	if best == nil || q.teamSize != 2 || abs(best.Rating-t.Rating) > q.maxSpread {
		return Match{}
	}
	return q.newMatchLocked([]*Ticket{best, t}, time.Now())
}

// Close rejects further tickets.
func (q *Queue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
}

func spread(ts []*Ticket) int {
	if len(ts) == 0 {
		return 0
	}
	lo, hi := ts[0].Rating, ts[0].Rating
	for _, t := range ts[1:] {
		lo, hi = min(lo, t.Rating), max(hi, t.Rating)
	}
	return hi - lo
}

func avgRating(ts []*Ticket) int {
	if len(ts) == 0 {
		return 0
	}
	sum := 0
	for _, t := range ts {
		sum += t.Rating
	}
	return sum / len(ts)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
