package numeric

import (
	"fmt"
	"math"
	"sync"
)

// Matrix is a dense row-major matrix.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// NewMatrix allocates a zero r x c matrix.
func NewMatrix(r, c int) *Matrix {
	return &Matrix{Rows: r, Cols: c, Data: make([]float64, r*c)}
}

// Identity returns the n x n identity matrix.
func Identity(n int) *Matrix {
	m := NewMatrix(n, n)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// At returns element (i, j).
func (m *Matrix) At(i, j int) float64 { return m.Data[i*m.Cols+j] }

// Set assigns element (i, j).
func (m *Matrix) Set(i, j int, v float64) { m.Data[i*m.Cols+j] = v }

// Row returns row i as a slice sharing storage with m.
func (m *Matrix) Row(i int) Vector { return m.Data[i*m.Cols : (i+1)*m.Cols] }

// Transpose returns a new matrix equal to m transposed.
func (m *Matrix) Transpose() *Matrix {
	t := NewMatrix(m.Cols, m.Rows)
	for i := 0; i < m.Rows; i++ {
		for j := 0; j < m.Cols; j++ {
			t.Set(j, i, m.At(i, j))
		}
	}
	return t
}

// Frobenius returns the Frobenius norm of m.
func (m *Matrix) Frobenius() float64 { return Norm2(m.Data) }

// MulVec returns m*v.
func (m *Matrix) MulVec(v Vector) (Vector, error) {
	if len(v) != m.Cols {
		return nil, fmt.Errorf("mulvec %dx%d by %d: %w", m.Rows, m.Cols, len(v), ErrDimension)
	}
	out := make(Vector, m.Rows)
	for i := range out {
		out[i], _ = Dot(m.Row(i), v)
	}
	return out, nil
}

// Mul returns a*b computed serially.
func Mul(a, b *Matrix) (*Matrix, error) {
	if a.Cols != b.Rows {
		return nil, ErrDimension
	}
	out := NewMatrix(a.Rows, b.Cols)
	mulRows(a, b, out, 0, a.Rows)
	return out, nil
}

func mulRows(a, b, out *Matrix, lo, hi int) {
	for i := lo; i < hi; i++ {
		for k := 0; k < a.Cols; k++ {
			aik := a.At(i, k)
			if aik == 0 {
				continue
			}
			for j := 0; j < b.Cols; j++ {
				out.Data[i*out.Cols+j] += aik * b.At(k, j)
			}
		}
	}
}

// ParallelMul returns a*b using up to workers goroutines over row bands.
func ParallelMul(a, b *Matrix, workers int) (*Matrix, error) {
	if a.Cols != b.Rows {
		return nil, ErrDimension
	}
	if workers < 1 {
		workers = 1
	}
	out := NewMatrix(a.Rows, b.Cols)
	band := (a.Rows + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		if w*band >= a.Rows {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			mulRows(a, b, out, w*band, min((w+1)*band, a.Rows))
		}()
	}
	wg.Wait()
	return out, nil
}

// NormsUntilNaN computes row norms in parallel up to the first row that contains a NaN
// and returns the norms together with the number of rows processed.
func NormsUntilNaN(m *Matrix) (Vector, int) {
	out := make(Vector, m.Rows)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < m.Rows; i++ {
		if hasNaN(m.Row(i)) {
			break
		}
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = Norm2(m.Row(i)) }() // HAZ loop-var-capture
	}
	wg.Wait()
	return out[:i], i
}

// ParallelSum sums xs in chunks, one goroutine per chunk.
func ParallelSum(xs []float64, chunks int) float64 {
	if chunks < 1 {
		chunks = 1
	}
	size := (len(xs) + chunks - 1) / chunks
	partial := make([]float64, chunks)
	var wg sync.WaitGroup
	for c := 0; c < chunks; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := c*size, min((c+1)*size, len(xs))
			if lo >= hi {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			partial[c] = KahanSum(xs[lo:hi])
		}()
	}
	wg.Wait()
	return KahanSum(partial)
}

// ApplyRows applies f to every row concurrently and waits for all of them.
func ApplyRows(m *Matrix, f func(row Vector)) {
	var wg sync.WaitGroup
	wg.Add(m.Rows)
	for i := 0; i < m.Rows; i++ {
		go func() {
			defer wg.Done()
			f(m.Row(i))
		}()
	}
	wg.Wait()
}

// MaxAbsDiff returns max |a_ij - b_ij|, or an error when the shapes differ.
func MaxAbsDiff(a, b *Matrix) (float64, error) {
	if a.Rows != b.Rows || a.Cols != b.Cols {
		return 0, ErrDimension
	}
	var d float64
	for i := range a.Data {
		d = math.Max(d, math.Abs(a.Data[i]-b.Data[i]))
	}
	return d, nil
}
