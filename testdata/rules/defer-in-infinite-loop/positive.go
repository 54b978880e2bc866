// Defers in loops that never end: each is a finding.
package fixture

import (
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

func serve(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			continue
		}
		defer conn.Close() // want `^the deferred conn\.Close\(\) never runs: the loop on line 13 \(for \{\}\) has no break, return or goto leaving it, so serve never returns`
	}
}

func forTrue(mu *sync.Mutex) {
	for true {
		mu.Lock()
		defer mu.Unlock() // want `\(for true \{\}\)`
	}
}

func consume(jobs chan string) {
	for j := range jobs {
		f, err := os.Open(j)
		if err != nil {
			continue
		}
		defer f.Close() // want `^the deferred f\.Close\(\) waits for the loop on line 30 \(range over channel jobs\) to end, which only closing the channel does`
	}
}

func consumeMade() {
	results := make(chan int)
	go func() { results <- 1 }()
	for r := range results {
		defer fmt.Println(r) // want `range over channel results`
	}
}

func ticks() {
	for t := range time.Tick(time.Second) {
		defer fmt.Println(t) // want `\(range over time\.Tick \(never closed\)\) has no break`
	}
}

// A break inside a select leaves only the select.
func selectBreak(in <-chan int, quit <-chan struct{}) {
	for {
		select {
		case v := <-in:
			defer fmt.Println(v) // want `for \{\}`
		case <-quit:
			break
		}
	}
}

// A break inside a switch leaves only the switch.
func switchBreak(next func() int) {
	for {
		switch next() {
		case 0:
			break
		default:
			defer fmt.Println("again") // want `for \{\}`
		}
	}
}

// A break inside a nested finite loop leaves only that loop; the outer loop never ends.
func nestedBreak(batches func() []int) {
	for {
		for _, v := range batches() {
			if v < 0 {
				break
			}
			defer fmt.Println(v) // want `the loop on line 79 \(for \{\}\)`
		}
	}
}

// A labelled break naming an inner loop does not leave the outer one.
func labelledInner(next func() int) {
	for {
	inner:
		for {
			if next() == 0 {
				break inner
			}
		}
		defer fmt.Println("tick") // want `the loop on line 91 \(for \{\}\)`
	}
}

// continue to the loop's own label does not leave it.
func continueSelf(next func() int) {
outer:
	for {
		if next() == 0 {
			continue outer
		}
		defer fmt.Println("x") // want `for \{\}`
	}
}

// A goto to a label inside the loop stays in it.
func gotoInside(next func() int) {
	for {
	again:
		if next() == 0 {
			goto again
		}
		defer fmt.Println("y") // want `for \{\}`
	}
}

type ptyRequest struct{ kind string }

type ptySession struct {
	handled bool
	window  chan int
	pty     *ptyRequest
}

// The early exit tests pty, but nothing sets it: every pty request registers another close.
func (s *ptySession) handleRequests(reqs <-chan *ptyRequest) {
	for req := range reqs {
		switch req.kind {
		case "pty":
			if s.handled || s.pty != nil {
				continue
			}
			s.window = make(chan int, 1)
			defer func() { // want `waits for the loop on line \d+ \(range over channel reqs\)`
				close(s.window)
			}()
		}
	}
}
