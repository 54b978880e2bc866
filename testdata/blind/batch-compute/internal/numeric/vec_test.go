package numeric

import (
	"math"
	"testing"
)

func TestDotMismatch(t *testing.T) {
	if _, err := Dot(Vector{1, 2}, Vector{1}); err != ErrDimension {
		t.Fatalf("Dot mismatch: got %v, want ErrDimension", err)
	}
}

func TestKahanSumSmallTerms(t *testing.T) {
	xs := make([]float64, 0, 1001)
	xs = append(xs, 1e16)
	for i := 0; i < 1000; i++ {
		xs = append(xs, 1)
	}
	if got := KahanSum(xs); got != 1e16+1000 {
		t.Errorf("KahanSum = %v, want %v", got, 1e16+1000)
	}
}

func TestParallelMulMatchesSerial(t *testing.T) {
	a := NewMatrix(7, 5)
	b := NewMatrix(5, 3)
	for i := range a.Data {
		a.Data[i] = float64(i%4) - 1.5
	}
	for i := range b.Data {
		b.Data[i] = float64(i%3) + 0.25
	}
	want, err := Mul(a, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 3, 16} {
		t.Run("workers", func(t *testing.T) {
			got, err := ParallelMul(a, b, workers)
			if err != nil {
				t.Fatal(err)
			}
			if d, _ := MaxAbsDiff(got, want); d > 1e-12 {
				t.Errorf("workers=%d: max diff %g", workers, d)
			}
		})
	}
}

func TestQuantileEndpoints(t *testing.T) {
	xs := []float64{5, 1, 3}
	if q := Quantile(xs, 0); q != 1 {
		t.Errorf("q0 = %v", q)
	}
	if q := Quantile(xs, 1); q != 5 {
		t.Errorf("q1 = %v", q)
	}
	if q := Quantile(nil, 0.5); !math.IsNaN(q) {
		t.Errorf("empty quantile = %v", q)
	}
}

func TestScoreRowsCopied(t *testing.T) {
	rows := []Vector{{3, 4}, {6, 8}, {0, 0}}
	got := ScoreRowsCopied(rows, Norm2)
	want := []float64{5, 10, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("row %d: got %v want %v", i, got[i], want[i])
		}
	}
}
