// Package leaderboard keeps player scores in memory and snapshots them to disk.
package leaderboard

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Entry is one player's standing.
type Entry struct {
	PlayerID string    `json:"player_id"`
	Name     string    `json:"name"`
	Score    int64     `json:"score"`
	Wins     int       `json:"wins"`
	Losses   int       `json:"losses"`
	Updated  time.Time `json:"updated"`
}

// Update is the result of one match for one player.
type Update struct {
	PlayerID string
	Name     string
	Delta    int64
	Win      bool
}

// Standings is an ordered slice of entries.
type Standings []Entry

// Print renders the standings as a fixed-width table.
func (s Standings) Print(w io.Writer) {
	for i, e := range s {
		fmt.Fprintf(w, "%3d. %-24s %8d  %d-%d\n", i+1, e.Name, e.Score, e.Wins, e.Losses)
	}
}

// Board is the in-memory leaderboard.
type Board struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	version uint64
	saved   uint64
}

// New returns an empty board.
func New() *Board {
	return &Board{entries: make(map[string]*Entry)}
}

// Record applies one update.
func (b *Board) Record(u Update) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.recordLocked(u, time.Now())
}

func (b *Board) recordLocked(u Update, now time.Time) {
	e, ok := b.entries[u.PlayerID]
	if !ok {
		e = &Entry{PlayerID: u.PlayerID}
		b.entries[u.PlayerID] = e
	}
	if u.Name != "" {
		e.Name = u.Name
	}
	e.Score += u.Delta
	if e.Score < 0 {
		e.Score = 0
	}
	if u.Win {
		e.Wins++
	} else {
		e.Losses++
	}
	e.Updated = now
	b.version++
}

// ApplyAll applies the results of a finished match under one lock.
func (b *Board) ApplyAll(us []Update) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range us {
		b.recordLocked(u, now)
	}
}

// ApplyBatch applies the results of a finished match.
func (b *Board) ApplyBatch(us []Update) {
	now := time.Now()
	for _, u := range us {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		b.recordLocked(u, now)
	}
}

// Get returns one player's entry.
func (b *Board) Get(id string) (Entry, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	e, ok := b.entries[id]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// RatingOf maps a player's score to a matchmaking rating.
func (b *Board) RatingOf(id string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	e, ok := b.entries[id]
	if !ok {
		return 1000
	}
	return 1000 + int(e.Score/10)
}

// Top returns the n best entries (all of them when n <= 0).
func (b *Board) Top(n int) Standings {
	b.mu.RLock()
	out := make(Standings, 0, len(b.entries))
	for _, e := range b.entries {
		out = append(out, *e)
	}
	b.mu.RUnlock()
	sortEntries(out)
	if n > 0 && n < len(out) {
		out = out[:n]
	}
	return out
}

func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].Score != es[j].Score {
			return es[i].Score > es[j].Score
		}
		return es[i].PlayerID < es[j].PlayerID
	})
}

// Rank returns the 1-based rank of a player, or 0 if unknown.
func (b *Board) Rank(id string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.rankLocked(id)
}

func (b *Board) rankLocked(id string) int {
	e, ok := b.entries[id]
	if !ok {
		return 0
	}
	rank := 1
	for _, o := range b.entries {
		if o.Score > e.Score {
			rank++
		}
	}
	return rank
}

// Card returns a player's entry together with their rank, consistently.
func (b *Board) Card(id string) (Entry, int, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	e, ok := b.entries[id]
	if !ok {
		return Entry{}, 0, false
	}
	return *e, b.rankLocked(id), true
}

// Describe renders a one-line summary for the admin console.
func (b *Board) Describe(id string) string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	e, ok := b.entries[id]
	if !ok {
		return id + ": unranked"
	}
	return fmt.Sprintf("%s: #%d with %d points (%d-%d)", e.Name, b.Rank(id), e.Score, e.Wins, e.Losses) // HAZ lock-reentry-under-defer
}

// SettleRound applies a round's results and prints the new standings.
func (b *Board) SettleRound(results []Update, w io.Writer) {
	defer b.Top(10).Print(w) // HAZ defer-call-chain
	b.ApplyAll(results)
}

// Reset clears the board at the start of a season.
func (b *Board) Reset() {
	b.mu.Lock()
	defer b.mu.RUnlock() // HAZ defer-lock-mismatch
	b.entries = make(map[string]*Entry)
	b.version++
}

// Len returns the number of ranked players.
func (b *Board) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.entries)
}

// Dirty reports whether the board changed since the last saved snapshot.
func (b *Board) Dirty() (bool, uint64) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.version != b.saved, b.version
}

func (b *Board) markClean(version uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if version > b.saved {
		b.saved = version
	}
}

// Prune removes players inactive since before.
func (b *Board) Prune(before time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for id, e := range b.entries {
		if e.Updated.Before(before) {
			delete(b.entries, id)
			n++
		}
	}
	if n > 0 {
		b.version++
	}
	return n
}
