package blockedsend

import "time"

func produce() int { return 1 }

// The loop returns once it has counted a receive from each channel: no sender is left behind.
func collectBoth() int {
	a := make(chan int)
	b := make(chan int)
	go func() { a <- produce() }()
	go func() { b <- produce() }()
	sum, got := 0, 0
	for {
		select {
		case v := <-a:
			sum += v
			got++
		case v := <-b:
			sum += v
			got++
		case <-time.After(time.Minute):
			panic("no result in a minute")
		}
		if got == 2 {
			return sum
		}
	}
}

// The counter counts ticks, not receives: the return under it abandons the sender.
func giveUpAfterTicks(tick <-chan time.Time) int {
	res := make(chan int) // want `giveUpAfterTicks makes res unbuffered, and the goroutine started on line \d+ sends its result on it \(line \d+\); when the select on line \d+ takes its <-tick case, giveUpAfterTicks returns without receiving`
	go func() {
		res <- produce()
	}()
	ticks := 0
	for {
		select {
		case v := <-res:
			return v
		case <-tick:
			ticks++
		}
		if ticks > 3 {
			return -1
		}
	}
}
