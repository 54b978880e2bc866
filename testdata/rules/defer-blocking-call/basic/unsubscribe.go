package fixture

import "sync"

type filterSystem struct {
	install   chan *filterSub
	uninstall chan *filterSub
}

type filterSub struct {
	es     *filterSystem
	once   sync.Once
	events chan int
	done   chan struct{}
}

// loop serves install and uninstall requests until the system stops.
func (es *filterSystem) loop(stop <-chan struct{}) {
	subs := map[*filterSub]bool{}
	for {
		select {
		case s := <-es.install:
			subs[s] = true
		case s := <-es.uninstall:
			delete(subs, s)
			close(s.done)
		case <-stop:
			return
		}
	}
}

// Unsubscribe hands the filterSub back to the event loop, draining events meanwhile.
func (s *filterSub) Unsubscribe() {
	s.once.Do(func() {
	loop:
		for {
			select {
			case s.es.uninstall <- s:
				break loop
			case <-s.events:
			}
		}
		<-s.done
	})
}

// Unsubscribing is the cleanup, as a Close would be.
func followFilter(es *filterSystem, handle func(int)) {
	s := &filterSub{es: es, events: make(chan int), done: make(chan struct{})}
	es.install <- s
	defer s.Unsubscribe()
	for v := range s.events {
		handle(v)
	}
}
