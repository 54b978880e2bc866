// Package numeric holds the dense vector and matrix kernels used by the batch jobs.
package numeric

import (
	"errors"
	"math"
	"sort"
)

// ErrDimension is returned when operand lengths disagree.
var ErrDimension = errors.New("numeric: dimension mismatch")

// Vector is a dense float64 vector.
type Vector []float64

// Dot returns the inner product of a and b.
func Dot(a, b Vector) (float64, error) {
	if len(a) != len(b) {
		return 0, ErrDimension
	}
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s, nil
}

// Norm2 returns the Euclidean norm of v, scaled to avoid overflow.
func Norm2(v Vector) float64 {
	var scale, ssq float64 = 0, 1
	for _, x := range v {
		if x == 0 {
			continue
		}
		ax := math.Abs(x)
		if scale < ax {
			ssq = 1 + ssq*(scale/ax)*(scale/ax)
			scale = ax
		} else {
			ssq += (ax / scale) * (ax / scale)
		}
	}
	return scale * math.Sqrt(ssq)
}

// Axpy computes y += alpha*x in place.
func Axpy(alpha float64, x, y Vector) error {
	if len(x) != len(y) {
		return ErrDimension
	}
	for i, xi := range x {
		y[i] += alpha * xi
	}
	return nil
}

// Scale multiplies v by alpha in place.
func Scale(v Vector, alpha float64) {
	for i := range v {
		v[i] *= alpha
	}
}

// KahanSum sums xs with compensated summation.
func KahanSum(xs []float64) float64 {
	var sum, c float64
	for _, x := range xs {
		y := x - c
		t := sum + y
		c = (t - sum) - y
		sum = t
	}
	return sum
}

// Mean returns the arithmetic mean of xs, or NaN when xs is empty.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return KahanSum(xs) / float64(len(xs))
}

// Variance returns the unbiased sample variance using Welford's algorithm.
func Variance(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	var mean, m2 float64
	for i, x := range xs {
		d := x - mean
		mean += d / float64(i+1)
		m2 += d * (x - mean)
	}
	return m2 / float64(len(xs)-1)
}

// MinMax returns the extremes of xs; ok is false for an empty slice.
func MinMax(xs []float64) (lo, hi float64, ok bool) {
	if len(xs) == 0 {
		return 0, 0, false
	}
	lo, hi = xs[0], xs[0]
	for _, x := range xs[1:] {
		lo = math.Min(lo, x)
		hi = math.Max(hi, x)
	}
	return lo, hi, true
}

// Quantile returns the q-th quantile (0 <= q <= 1) with linear interpolation.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 || q < 0 || q > 1 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	frac := pos - float64(i)
	return s[i] + frac*(s[i+1]-s[i])
}

// Histogram counts xs into bins equal-width buckets over [lo, hi).
func Histogram(xs []float64, lo, hi float64, bins int) []int {
	counts := make([]int, bins)
	if bins == 0 || hi <= lo {
		return counts
	}
	width := (hi - lo) / float64(bins)
	for _, x := range xs {
		if x < lo || x >= hi || math.IsNaN(x) {
			continue
		}
		b := int((x - lo) / width)
		if b == bins {
			b--
		}
		counts[b]++
	}
	return counts
}

// Linspace returns n evenly spaced points from lo to hi inclusive.
func Linspace(lo, hi float64, n int) Vector {
	if n <= 0 {
		return nil
	}
	if n == 1 {
		return Vector{lo}
	}
	out := make(Vector, n)
	step := (hi - lo) / float64(n-1)
	for i := range out {
		out[i] = lo + float64(i)*step
	}
	return out
}

// Clone returns a copy of v.
func Clone(v Vector) Vector {
	return append(Vector(nil), v...)
}

func hasNaN(v Vector) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}
