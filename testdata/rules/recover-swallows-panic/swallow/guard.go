package swallow

import "io"

// Closing a channel that may be closed already: the recover guards that one built-in call.
func closeQuietly(ch chan int) {
	defer func() { _ = recover() }()
	close(ch)
}

// Comparing two interface values that may hold uncomparable types, in a literal called in place.
func sameWriter(a, b io.Writer) bool {
	same := false
	func() {
		defer func() { recover() }()
		if a == b {
			same = true
		}
	}()
	return same
}

// A call is more than one built-in operation: its panic is swallowed with everything it did.
func closeAndFlush(ch chan int, flush func()) {
	defer func() { _ = recover() }() // want `the deferred function literal on line \d+ discards the value of recover\(\)`
	flush()
}

// Two statements: the panic of either vanishes.
func closeBoth(a, b chan int) {
	defer func() { recover() }() // want `the deferred function literal on line \d+ discards the value of recover\(\)`
	close(a)
	close(b)
}

type ack struct{ ch chan<- error }

// A send on a channel that may be closed, inside a block: the recover guards that one send.
func (a ack) reply(err error) {
	if a.ch != nil {
		defer func() {
			recover()
		}()
		a.ch <- err
	}
}

type progressOut chan<- int

// One send that may hit a closed channel, then a plain return: the recover guards that send.
func (out progressOut) write(p int) error {
	defer func() {
		recover()
	}()
	out <- p
	return nil
}

// The return calls a function: its panic is swallowed too.
func (out progressOut) writeAndCount(p int, count func() error) error {
	defer func() {
		recover() // want `the deferred function literal on line \d+ discards the value of recover\(\)`
	}()
	out <- p
	return count()
}
