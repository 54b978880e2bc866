package blockedsend

import "io"

// On quit, the loop receives what is left before returning (a proxy joining its two copiers).
func proxyJoin(a, b io.ReadWriter, quit <-chan bool) int64 {
	event := make(chan int64)
	copier := func(to io.Writer, from io.Reader) {
		n, _ := io.Copy(to, from)
		event <- n
	}
	go copier(a, b)
	go copier(b, a)
	var total int64
	for i := 0; i < 2; i++ {
		select {
		case n := <-event:
			total += n
		case <-quit:
			for ; i < 2; i++ {
				total += <-event
			}
			return total
		}
	}
	return total
}

// On quit, nothing receives the rest: the copiers still running block on their send.
func proxyAbandon(a, b io.ReadWriter, quit <-chan bool) int64 {
	event := make(chan int64) // want `proxyAbandon makes event unbuffered, and the goroutine started on line \d+ sends its result on it`
	copier := func(to io.Writer, from io.Reader) {
		n, _ := io.Copy(to, from)
		event <- n
	}
	go copier(a, b)
	go copier(b, a)
	var total int64
	for i := 0; i < 2; i++ {
		select {
		case n := <-event:
			total += n
		case <-quit:
			return total
		}
	}
	return total
}

// A loop on another condition receives only one more: the other copier may still be stranded.
func proxyJoinOne(a, b io.ReadWriter, quit <-chan bool) int64 {
	event := make(chan int64) // want `proxyJoinOne makes event unbuffered, and the goroutine started on line \d+ sends its result on it`
	copier := func(to io.Writer, from io.Reader) {
		n, _ := io.Copy(to, from)
		event <- n
	}
	go copier(a, b)
	go copier(b, a)
	var total int64
	for i := 0; i < 2; i++ {
		select {
		case n := <-event:
			total += n
		case <-quit:
			for j := 0; j < 1; j++ {
				total += <-event
			}
			return total
		}
	}
	return total
}
