package blockedsend

// Two producers, one range over their channel that stops once it has counted every value.
func collectCounted() []int {
	const total = 100
	ch := make(chan int)
	go func() {
		for i := 0; i < total/2; i++ {
			ch <- i
		}
	}()
	go func() {
		for i := total / 2; i < total; i++ {
			ch <- i
		}
	}()
	out := make([]int, 0, total)
	n := 0
	for v := range ch {
		out = append(out, v)
		n++
		if n == total {
			break
		}
	}
	return out
}

// A break on a value, not on the count: the producers not yet received from are stranded.
func collectUntilNegative() []int {
	ch := make(chan int) // want `collectUntilNegative makes ch unbuffered, and the goroutine started on line \d+ sends its result on it`
	go func() {
		for i := 0; i < 10; i++ {
			ch <- produce() - i
		}
	}()
	go func() {
		for i := 0; i < 10; i++ {
			ch <- produce() + i
		}
	}()
	var out []int
	for v := range ch {
		if v < 0 {
			break
		}
		out = append(out, v)
	}
	return out
}
