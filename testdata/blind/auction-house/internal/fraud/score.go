package fraud

import (
	"math"
	"sync"
)

// Scorer computes a risk score in [0,1] for bids, used to rank the manual
// review queue.
type Scorer struct {
	// Parallel bounds how many bids are scored at once.
	Parallel int
	// Median is the typical winning amount, in cents, for the category.
	Median int64
}

// score is the risk of one bid: far above the category median is suspect.
func (s *Scorer) score(b Bid) float64 {
	if s.Median <= 0 || b.Amount <= 0 {
		return 0
	}
	ratio := float64(b.Amount) / float64(s.Median)
	return 1 - math.Exp(-math.Max(0, ratio-1))
}

// ScoreAll scores bids, waiting after every Parallel goroutines.
func (s *Scorer) ScoreAll(bids []Bid) []float64 {
	scores := make([]float64, len(bids))
	par := max(s.Parallel, 1)
	var wg sync.WaitGroup
	for i, b := range bids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			scores[i] = s.score(b)
		}()
		if (i+1)%par == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return scores
}

// Rescore recomputes the scores of a lot's bids in parallel; bids with a
// non-positive amount are treated as maximally suspect.
func (s *Scorer) Rescore(bids []Bid) []float64 {
	scores := make([]float64, len(bids))
	var wg sync.WaitGroup
	for i := range bids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if bids[i].Amount <= 0 {
				scores[i] = 1
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			scores[i] = s.score(bids[i])
		}(i)
	}
	wg.Wait()
	return scores
}

// Rank returns the indexes of the bids whose score is at least threshold,
// scoring them with one goroutine per bid; each goroutine gets its own copy
// of the loop variables.
func (s *Scorer) Rank(bids []Bid, threshold float64) []int {
	flagged := make([]bool, len(bids))
	var wg sync.WaitGroup
	for i, b := range bids {
		i, b := i, b
		wg.Add(1)
		go func() {
			defer wg.Done()
			flagged[i] = s.score(b) >= threshold
		}()
	}
	wg.Wait()
	var out []int
	for i, f := range flagged {
		if f {
			out = append(out, i)
		}
	}
	return out
}
