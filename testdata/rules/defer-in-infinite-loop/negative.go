// None of these is a finding of defer-in-infinite-loop.
package fixture

import (
	"context"
	"fmt"
	"os"
)

// The fix: the body in a function literal.
func fixed(jobs chan string) {
	for j := range jobs {
		func() {
			f, err := os.Open(j)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

// A return leaves the loop.
func withReturn(ctx context.Context, in <-chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-in:
			defer fmt.Println(v)
		}
	}
}

// An unlabelled break at the loop's own level leaves it.
func withBreak(next func() int) {
	for {
		if next() == 0 {
			break
		}
		defer fmt.Println("x")
	}
}

// A labelled break naming the loop, from inside a select.
func labelledBreak(in <-chan int, quit <-chan struct{}) {
loop:
	for {
		select {
		case v := <-in:
			defer fmt.Println(v)
		case <-quit:
			break loop
		}
	}
}

// A goto to a label after the loop.
func gotoOut(next func() int) {
	for {
		if next() == 0 {
			goto done
		}
		defer fmt.Println("z")
	}
done:
	fmt.Println("done")
}

// A loop with a condition ends.
func bounded(n int) {
	for i := 0; i < n; i++ {
		defer fmt.Println(i)
	}
}

// Range over a slice ends.
func overSlice(xs []string) {
	for _, x := range xs {
		defer fmt.Println(x)
	}
}

// A continue to an enclosing loop's label leaves the inner endless loop.
func continueOuter(rows [][]int, next func() int) {
outer:
	for _, r := range rows {
		for {
			if next() == len(r) {
				continue outer
			}
			defer fmt.Println(r)
		}
	}
}

// Endless loop without a defer; the defer is outside it.
func noDeferInside(in <-chan int) {
	defer fmt.Println("bye")
	for v := range in {
		fmt.Println(v)
	}
}

// The defer is inside a goroutine started from the loop.
func spawnEach(in <-chan int) {
	for v := range in {
		go func() {
			defer fmt.Println(v)
		}()
	}
}

type request struct{ kind string }

type session struct {
	handled bool
	window  chan int
	pty     *request
}

// The defer waits for reqs to be closed on purpose, and the early exit lets it be registered
// once: after the first pty request, pty is set and every later one takes the continue.
func (s *session) handleRequests(reqs <-chan *request) {
	for req := range reqs {
		switch req.kind {
		case "pty":
			if s.handled || s.pty != nil {
				continue
			}
			s.pty = req
			s.window = make(chan int, 1)
			defer func() {
				close(s.window)
			}()
		}
	}
}
