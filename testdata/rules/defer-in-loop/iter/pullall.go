package fixture

import "iter"

// Every sequence is pulled into its own slot and read after the loop: the stops are for the return.
func interleave[T any](seqs ...iter.Seq[T]) []T {
	next := make([]func() (T, bool), len(seqs))
	for i, s := range seqs {
		var stop func()
		next[i], stop = iter.Pull(s)
		defer stop()
	}
	var out []T
	for alive := len(next); alive > 0; {
		alive = 0
		for _, n := range next {
			if v, ok := n(); ok {
				out = append(out, v)
				alive++
			}
		}
	}
	return out
}

// Only the first value of each is kept: the pulled iterator itself is dropped with the iteration.
func firsts[T any](seqs ...iter.Seq[T]) []T {
	var out []T
	for _, s := range seqs {
		next, stop := iter.Pull(s)
		defer stop() // want `stop from iter\.Pull on line \d+ is released by the deferred stop\(\) only when firsts returns`
		if v, ok := next(); ok {
			out = append(out, v)
		}
	}
	return out
}
