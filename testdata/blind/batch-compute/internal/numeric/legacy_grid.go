//go:build go1.21

// This file predates the module's move to Go 1.22 and is pinned to go1.21 loop
// semantics by its build constraint.

package numeric

import (
	"math"
	"sync"
)

type scored struct {
	idx int
	val float64
}

// ScoreRows evaluates f on every row in parallel and returns the scores in row order.
func ScoreRows(rows []Vector, f func(Vector) float64) []float64 {
	ch := make(chan scored, len(rows))
	inflight := 0
	for i, row := range rows {
		go func() { ch <- scored{i, f(row)} }() // HAZ loop-var-capture
		inflight++
	}
	out := make([]float64, len(rows))
	for ; inflight > 0; inflight-- {
		s := <-ch
		out[s.idx] = s.val
	}
	return out
}

// GridArgmin evaluates f on the grid xs x ys, one goroutine per x, and returns the
// minimiser together with the number of evaluations scheduled.
func GridArgmin(f func(x, y float64) float64, xs, ys []float64) (bx, by, best float64, evals int) {
	best = math.Inf(1)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() { defer wg.Done(); scanColumn(f, x, ys, &mu, &bx, &by, &best) }() // HAZ loop-var-capture
		evals += len(ys)
	}
	wg.Wait()
	return bx, by, best, evals
}

func scanColumn(f func(x, y float64) float64, x float64, ys []float64, mu *sync.Mutex, bx, by, best *float64) {
	for _, y := range ys {
		v := f(x, y)
		mu.Lock()
		if v < *best {
			*bx, *by, *best = x, y, v
		}
		mu.Unlock()
	}
}

// ScoreRowsCopied is ScoreRows with the per-iteration copies that go1.21 code needs.
func ScoreRowsCopied(rows []Vector, f func(Vector) float64) []float64 {
	out := make([]float64, len(rows))
	var wg sync.WaitGroup
	for i, row := range rows {
		i, row := i, row
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(row)
		}()
	}
	wg.Wait()
	return out
}

// ColumnMeans computes column means in parallel, passing the column index as an argument.
func ColumnMeans(m *Matrix) Vector {
	out := make(Vector, m.Cols)
	var wg sync.WaitGroup
	for j := 0; j < m.Cols; j++ {
		wg.Add(1)
		go func(col int) {
			defer wg.Done()
			var s float64
			for i := 0; i < m.Rows; i++ {
				s += m.At(i, col)
			}
			out[col] = s / float64(m.Rows)
		}(j)
	}
	wg.Wait()
	return out
}
