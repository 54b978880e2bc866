// Package aggregate accumulates per-key summary statistics from concurrent workers.
package aggregate

import "math"

// Stat is a streaming summary (count, mean, variance, extremes).
type Stat struct {
	N        int64
	Mean     float64
	M2       float64
	Min, Max float64
}

// Add folds x into s.
func (s *Stat) Add(x float64) {
	if s.N == 0 {
		s.Min, s.Max = x, x
	} else {
		s.Min = math.Min(s.Min, x)
		s.Max = math.Max(s.Max, x)
	}
	s.N++
	d := x - s.Mean
	s.Mean += d / float64(s.N)
	s.M2 += d * (x - s.Mean)
}

// Merge folds another summary into s (Chan et al. parallel update).
func (s *Stat) Merge(o Stat) {
	if o.N == 0 {
		return
	}
	if s.N == 0 {
		*s = o
		return
	}
	n := s.N + o.N
	d := o.Mean - s.Mean
	s.M2 += o.M2 + d*d*float64(s.N)*float64(o.N)/float64(n)
	s.Mean += d * float64(o.N) / float64(n)
	s.Min = math.Min(s.Min, o.Min)
	s.Max = math.Max(s.Max, o.Max)
	s.N = n
}

// Variance returns the sample variance, or NaN below two observations.
func (s Stat) Variance() float64 {
	if s.N < 2 {
		return math.NaN()
	}
	return s.M2 / float64(s.N-1)
}

// Std returns the sample standard deviation.
func (s Stat) Std() float64 { return math.Sqrt(s.Variance()) }
