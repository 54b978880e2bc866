package fixture

import "sync"

type comms struct {
	workers sync.WaitGroup
	out     chan int
}

func dispatch(in <-chan int) <-chan int {
	acks := make(chan int)
	go func() {
		defer close(acks)
		for v := range in {
			acks <- v
		}
	}()
	return acks
}

// The spawner adds once for the dispatcher, whose completion the relay goroutine reports when
// the acks channel closes, and once for the relay itself: two Adds, two Dones.
func (c *comms) start(in <-chan int) {
	c.workers.Add(1) // Done when acks is closed
	acks := dispatch(in)
	c.workers.Add(1)
	go func() {
		defer c.workers.Done()
		for {
			select {
			case v, ok := <-acks:
				if !ok {
					acks = nil
					c.workers.Done()
					continue
				}
				c.out <- v
			}
		}
	}()
}

// The same relay with only its own Add: the explicit Done drives the counter negative once acks
// closes and the deferred one runs.
func (c *comms) startOnce(in <-chan int) {
	acks := dispatch(in)
	c.workers.Add(1)
	go func() {
		defer c.workers.Done()
		for {
			select {
			case v, ok := <-acks:
				if !ok {
					acks = nil
					c.workers.Done() // want `c\.workers\.Done\(\) is deferred on line \d+ and called again on line \d+`
					continue
				}
				c.out <- v
			}
		}
	}()
}
