package blockedsend

// Several senders and a range over the channel that a break can leave: the senders not yet
// received from block for good.
func sumUntilNegative(n int) int {
	ch := make(chan int) // want `sumUntilNegative makes ch unbuffered, and the goroutine started on line \d+ sends its result on it`
	for i := 0; i < n; i++ {
		go func() { ch <- i }()
	}
	sum := 0
	for v := range ch {
		if v < 0 {
			break
		}
		sum += v
	}
	return sum
}

// One sender that closes the channel, and a range to the end: nothing is left behind.
func sumAll(n int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}
