// Package conc starts goroutines for the rest of the module.
package conc

// Go starts fn on a new goroutine: call sites use it instead of a bare go statement.
func Go(fn func()) {
	go fn()
}

// GoCounted starts fn and counts it: a helper that does more than start the goroutine.
func GoCounted(n *int, fn func()) {
	*n++
	go fn()
}
