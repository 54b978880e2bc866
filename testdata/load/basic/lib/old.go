//go:build go1.18 && !windows

package lib

func first[T any](xs []T) T { return xs[0] }
