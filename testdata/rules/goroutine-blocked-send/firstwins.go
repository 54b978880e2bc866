package blockedsend

import (
	"context"
	"errors"
)

type replica struct{ name string }

func (r replica) query(q string) string { return r.name + q }

// First answer wins: one goroutine per replica, one receive. Every replica after the first
// blocks on its send for good.
func First(q string, replicas []replica) string {
	c := make(chan string) // want `First makes c unbuffered, .*the loop on line 16 starts a goroutine per iteration but First receives from c only once \(line 19\), so the goroutines not yet received from block forever`
	for _, r := range replicas {
		go func() { c <- r.query(q) }()
	}
	return <-c
}

// Three goroutines, two receives: the third stays blocked.
func twoOfThree(q string, rs [3]replica) (string, string) {
	c := make(chan string) // want `twoOfThree makes c unbuffered, .*the loop on line 25 starts 3 goroutines but twoOfThree receives from c only 2 times`
	for i := 0; i < 3; i++ {
		go func() { c <- rs[i].query(q) }()
	}
	a := <-c
	b := <-c
	return a, b
}

// As many receives as goroutines: nothing is left behind.
func both(q string, rs [2]replica) (string, string) {
	c := make(chan string)
	for i := 0; i < 2; i++ {
		go func() { c <- rs[i].query(q) }()
	}
	return <-c, <-c
}

// One receive per goroutine, in a loop.
func all(q string, replicas []replica) []string {
	c := make(chan string)
	for _, r := range replicas {
		go func() { c <- r.query(q) }()
	}
	var out []string
	for range replicas {
		out = append(out, <-c)
	}
	return out
}

// The senders give up when the caller has gone.
func firstOrCancel(ctx context.Context, q string, replicas []replica) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := make(chan string)
	for _, r := range replicas {
		go func() {
			select {
			case c <- r.query(q):
			case <-ctx.Done():
			}
		}()
	}
	select {
	case s := <-c:
		return s, nil
	case <-ctx.Done():
		return "", errors.New("no answer")
	}
}

// Buffered for every replica: the losers complete their sends.
func firstBuffered(q string, replicas []replica) string {
	c := make(chan string, len(replicas))
	for _, r := range replicas {
		go func() { c <- r.query(q) }()
	}
	return <-c
}
