package loopvar

import (
	"bytes"
	"sync"
)

type replica struct {
	addr  string
	state struct{ healthy bool }
}

func (r *replica) probe(wg *sync.WaitGroup) {
	defer wg.Done()
	r.state.healthy = r.addr != ""
}

func (r *replica) release()        { r.addr = "" }
func (r replica) describe() string { return r.addr }

func markHealthy(h *struct{ healthy bool }) { h.healthy = true }

func logReplica(r replica) { _ = r.describe() }

func use(p *replica) { _ = p.addr }

// The goroutine runs r.probe on &r, the one variable of the loop.
func probeAll(rs []replica) {
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go r.probe(&wg) // want `r\.probe has a pointer receiver, so the goroutine gets &r, but r is declared by the loop on line 30.*data race`
	}
	wg.Wait()
}

// Every deferred release runs on the last replica.
func releaseAll(rs []replica) {
	for _, r := range rs {
		defer r.release() // want `r\.release has a pointer receiver, so the deferred call gets &r.*every deferred call works on its last value`
	}
}

func watchAll(rs []replica) {
	for _, r := range rs {
		go use(&r) // want `the goroutine is given &r, but r is declared by the loop`
	}
}

func markAll(rs []replica) {
	for _, r := range rs {
		defer markHealthy(&r.state) // want `the deferred call is given &r\.state`
	}
}

func resetAll(bufs []bytes.Buffer) {
	for _, b := range bufs {
		defer b.Reset() // want `b\.Reset has a pointer receiver, so the deferred call gets &b`
	}
}

// ---- not flagged ----

// A slice of pointers: r is a pointer, and r.probe gets its value.
func probePointers(rs []*replica) {
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go r.probe(&wg)
	}
	wg.Wait()
}

// A value receiver copies r at the go statement.
func describeAll(rs []replica) {
	for _, r := range rs {
		go logReplica(r)
		go r.describe()
	}
}

// The copy gives each goroutine its own variable.
func probeCopies(rs []replica) {
	var wg sync.WaitGroup
	for _, r := range rs {
		r := r
		wg.Add(1)
		go r.probe(&wg)
	}
	wg.Wait()
}

// Indexing the slice takes the address of the element, not of the loop variable.
func probeElements(rs []replica) {
	var wg sync.WaitGroup
	for i := range rs {
		wg.Add(1)
		go rs[i].probe(&wg)
	}
	wg.Wait()
}

// Waited for in the same iteration.
func probeOneByOne(rs []replica) {
	for _, r := range rs {
		var wg sync.WaitGroup
		wg.Add(1)
		go r.probe(&wg)
		wg.Wait()
	}
}

// The defer runs at most once: the loop returns right after it.
func releaseFirst(rs []replica) {
	for _, r := range rs {
		if r.addr != "" {
			defer r.release()
			return
		}
	}
}

// The wait runs only every fourth iteration: the goroutines started before it in a batch see p
// change under them.
func countBatched(paths []string, count func(string)) {
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { // want `goroutine started on line \d+ reads p, but p is declared by the loop`
			defer wg.Done()
			count(p)
		}()
		if (i+1)%4 == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
}
