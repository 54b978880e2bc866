package fixture

import (
	"log"
	"sync"
)

type prefetcher struct {
	fetch  func(string) (int, error)
	store  func(string, int)
	cached func(string) bool
}

// Each goroutine counts itself, then leaves on a failed fetch without its Done: Wait hangs.
func (p *prefetcher) warm(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		go func() {
			if p.cached(k) {
				return
			}
			wg.Add(1)
			v, err := p.fetch(k)
			if err != nil {
				log.Printf("prefetch %s: %v", k, err)
				return
			}
			p.store(k, v)
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the return on line 26 in the goroutine started on line 18`
		}()
	}
	wg.Wait()
}

// The return before the Add owes nothing, and every path after it calls Done.
func (p *prefetcher) warmChecked(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		go func() {
			if p.cached(k) {
				return
			}
			wg.Add(1)
			v, err := p.fetch(k)
			if err != nil {
				log.Printf("prefetch %s: %v", k, err)
				wg.Done()
				return
			}
			p.store(k, v)
			wg.Done()
		}()
	}
	wg.Wait()
}

type goServer struct{ running bool }

// startGoRoutine starts f unless the server is shutting down.
func (s *goServer) startGoRoutine(f func()) bool {
	if !s.running {
		return false
	}
	go f()
	return true
}

type mirror struct {
	wg  sync.WaitGroup
	srv *goServer
}

func processMirror(m *mirror, ready *sync.WaitGroup) {
	defer m.wg.Done()
	ready.Done()
}

// The Adds count the goroutine the helper starts; the Dones pay for them when it cannot start.
func (m *mirror) setup(ok func() bool) {
	go func() {
		if !ok() {
			return
		}
		var ready sync.WaitGroup
		m.wg.Add(1)
		ready.Add(1)
		if !m.srv.startGoRoutine(func() { processMirror(m, &ready) }) {
			m.wg.Done()
			ready.Done()
		}
		ready.Wait()
	}()
}
