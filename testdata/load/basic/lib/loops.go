//go:build go1.22

package lib

func sum(xs []int) (n int) {
	for i := range xs {
		n += xs[i]
	}
	return n
}
