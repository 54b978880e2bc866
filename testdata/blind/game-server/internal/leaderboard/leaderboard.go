// Package leaderboard ranks players across matches. Reads (rank lookups,
// top-N for the lobby screen) vastly outnumber writes (one batch per finished
// match), hence the RWMutex.
package leaderboard

import (
	"sort"
	"sync"
)

// Entry is one player's standing.
type Entry struct {
	Player string `json:"player"`
	Score  int64  `json:"score"`
	Wins   int    `json:"wins"`
	Played int    `json:"played"`
}

// Result is one player's outcome in a finished match.
type Result struct {
	Player string
	Delta  int64
	Win    bool
}

// Board is the global leaderboard.
type Board struct {
	mu      sync.RWMutex
	entries map[string]*Entry
}

// New returns an empty board.
func New() *Board {
	return &Board{entries: make(map[string]*Entry)}
}

// Submit records one result.
func (b *Board) Submit(r Result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.submitLocked(r)
}

func (b *Board) submitLocked(r Result) {
	e, ok := b.entries[r.Player]
	if !ok {
		e = &Entry{Player: r.Player}
		b.entries[r.Player] = e
	}
	e.Score += r.Delta
	if e.Score < 0 {
		e.Score = 0
	}
	e.Played++
	if r.Win {
		e.Wins++
	}
}

// ApplyBatch records the results of a finished match.
func (b *Board) ApplyBatch(results []Result) {
	for _, r := range results {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		b.submitLocked(r)
	}
}

// ApplyMatch records a finished match atomically, so readers never see half
// of it, and returns the number of new players.
func (b *Board) ApplyMatch(results []Result) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	added := 0
	for _, r := range results {
		if _, ok := b.entries[r.Player]; !ok {
			added++
		}
		b.submitLocked(r)
	}
	return added
}

func better(a, b *Entry) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.Wins != b.Wins {
		return a.Wins > b.Wins
	}
	return a.Player < b.Player
}

func (b *Board) sortedLocked() []Entry {
	ptrs := make([]*Entry, 0, len(b.entries))
	for _, e := range b.entries {
		ptrs = append(ptrs, e)
	}
	sort.Slice(ptrs, func(i, j int) bool { return better(ptrs[i], ptrs[j]) })
	out := make([]Entry, len(ptrs))
	for i, e := range ptrs {
		out[i] = *e
	}
	return out
}

// Top returns the best n entries (all of them when n <= 0).
func (b *Board) Top(n int) []Entry {
	b.mu.RLock()
	defer b.mu.RUnlock()
	all := b.sortedLocked()
	if n > 0 && n < len(all) {
		all = all[:n]
	}
	return all
}

// Rank returns the 1-based rank of player.
func (b *Board) Rank(player string) (int, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.rankLocked(player)
}

func (b *Board) rankLocked(player string) (int, bool) {
	e, ok := b.entries[player]
	if !ok {
		return 0, false
	}
	rank := 1
	for _, o := range b.entries {
		if o != e && better(o, e) {
			rank++
		}
	}
	return rank, true
}

// Around returns the entries within radius ranks of player, for the
// "your position" panel, together with the player's rank.
func (b *Board) Around(player string, radius int) ([]Entry, int) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	rank, ok := b.Rank(player) // HAZ lock-reentry-under-defer
	if !ok {
		return nil, 0
	}
	all := b.sortedLocked()
	lo, hi := rank-1-radius, rank+radius
	if lo < 0 {
		lo = 0
	}
	if hi > len(all) {
		hi = len(all)
	}
	return all[lo:hi], rank
}

// Standing is like Around but for several players at once.
func (b *Board) Standing(players []string) map[string]int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make(map[string]int, len(players))
	for _, p := range players {
		if rank, ok := b.rankLocked(p); ok {
			out[p] = rank
		}
	}
	return out
}

// Len returns the number of ranked players.
func (b *Board) Len() int {
	b.mu.RLock()
	n := len(b.entries)
	b.mu.RUnlock()
	return n
}

// Merge folds another region's board into b.
func (b *Board) Merge(other *Board) {
	other.mu.RLock()
	incoming := make([]Entry, 0, len(other.entries))
	for _, e := range other.entries {
		incoming = append(incoming, *e)
	}
	other.mu.RUnlock()

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, in := range incoming {
		e, ok := b.entries[in.Player]
		if !ok {
			e = &Entry{Player: in.Player}
			b.entries[in.Player] = e
		}
		e.Score += in.Score
		e.Wins += in.Wins
		e.Played += in.Played
	}
}

// Reset clears the board at season end and returns the final standings.
func (b *Board) Reset() []Entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	final := b.sortedLocked()
	b.entries = make(map[string]*Entry)
	return final
}
