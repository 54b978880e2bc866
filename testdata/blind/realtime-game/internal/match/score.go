package match

import (
	"context"
	"log"
	"math"
	"time"
)

// ScoreFunc rates how good a pairing is; lower is better. Game modes plug in
// their own.
type ScoreFunc func(a, b *Ticket) float64

// DefaultScore prefers close ratings and penalises cross-region pairs.
func DefaultScore(a, b *Ticket) float64 {
	s := math.Abs(float64(a.Rating - b.Rating))
	if a.Region != b.Region {
		s += 500
	}
	return s
}

// safeScore runs a pluggable scoring function; a buggy plug-in must not take
// matchmaking down, the pair is simply treated as incompatible.
func safeScore(fn ScoreFunc, a, b *Ticket) (s float64) {
	s = math.Inf(1)
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// incompatible pair
		}
	}()
	return fn(a, b)
}

// Compatible reports whether a and b score under threshold.
func Compatible(fn ScoreFunc, a, b *Ticket, threshold float64) bool {
	return safeScore(fn, a, b) < threshold
}

// StartScorers launches n background scorers that pre-compute pairwise
// compatibility, each owning one shard of the tickets. It returns the number
// of scorers started.
func (q *Queue) StartScorers(ctx context.Context, n int) int {
	var shard int
	for shard = 0; shard < n; shard++ {
		go func() { // HAZ loop-var-capture
			q.scoreShard(ctx, shard, n)
		}()
		log.Printf("match: scorer %d/%d started", shard+1, n)
	}
	return shard
}

// scoreShard periodically counts compatible pairs among the tickets whose
// index is congruent to shard modulo of.
func (q *Queue) scoreShard(ctx context.Context, shard, of int) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		q.mu.Lock()
		var mine []*Ticket
		for i, tk := range q.tickets {
			if i%of == shard {
				mine = append(mine, tk)
			}
		}
		fn := q.scorer
		q.mu.Unlock()
		pairs := 0
		for i := range mine {
			for j := i + 1; j < len(mine); j++ {
				if Compatible(fn, mine[i], mine[j], 200) {
					pairs++
				}
			}
		}
		if pairs > 0 {
			log.Printf("match: shard %d has %d compatible pairs", shard, pairs)
		}
	}
}
