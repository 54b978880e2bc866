package sim

import (
	"errors"
	"math"
)

// ErrNoConvergence is returned when an iterative method exceeds its iteration budget.
var ErrNoConvergence = errors.New("sim: no convergence")

// Trapezoid integrates f over [a, b] with n panels.
func Trapezoid(f func(float64) float64, a, b float64, n int) float64 {
	if n < 1 {
		n = 1
	}
	h := (b - a) / float64(n)
	s := (f(a) + f(b)) / 2
	for i := 1; i < n; i++ {
		s += f(a + float64(i)*h)
	}
	return s * h
}

// Simpson integrates f over [a, b] with n (rounded up to even) panels.
func Simpson(f func(float64) float64, a, b float64, n int) float64 {
	if n < 2 {
		n = 2
	}
	if n%2 == 1 {
		n++
	}
	h := (b - a) / float64(n)
	s := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(a+float64(i)*h)
	}
	return s * h / 3
}

// Bisect finds a root of f in [a, b], which must bracket a sign change.
func Bisect(f func(float64) float64, a, b, tol float64, maxIter int) (float64, error) {
	fa := f(a)
	if fa*f(b) > 0 {
		return 0, errors.New("sim: interval does not bracket a root")
	}
	for i := 0; i < maxIter; i++ {
		m := (a + b) / 2
		fm := f(m)
		if fm == 0 || (b-a)/2 < tol {
			return m, nil
		}
		if fa*fm < 0 {
			b = m
		} else {
			a, fa = m, fm
		}
	}
	return 0, ErrNoConvergence
}

// Newton finds a root of f from x0 using its derivative df.
func Newton(f, df func(float64) float64, x0, tol float64, maxIter int) (float64, error) {
	x := x0
	for i := 0; i < maxIter; i++ {
		d := df(x)
		if d == 0 {
			return x, errors.New("sim: zero derivative")
		}
		next := x - f(x)/d
		if math.Abs(next-x) < tol {
			return next, nil
		}
		x = next
	}
	return x, ErrNoConvergence
}

// RK4 integrates dy/dt = f(t, y) from t0 to t1 in n steps.
func RK4(f func(t, y float64) float64, t0, y0, t1 float64, n int) float64 {
	h := (t1 - t0) / float64(n)
	t, y := t0, y0
	for i := 0; i < n; i++ {
		k1 := f(t, y)
		k2 := f(t+h/2, y+h*k1/2)
		k3 := f(t+h/2, y+h*k2/2)
		k4 := f(t+h, y+h*k3)
		y += h * (k1 + 2*k2 + 2*k3 + k4) / 6
		t += h
	}
	return y
}
