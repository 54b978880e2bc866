package index

import "time"

// view copies the live entries under the index lock.
func (ix *Index) view() *View {
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	v := &View{Entries: make(map[string]Entry, len(ix.entries)), Taken: time.Now()}
	for k, e := range ix.entries {
		if !e.Tombstone {
			v.Entries[k] = e
		}
	}
	return v
}

// publish offers v to every watcher without blocking.
func (v *View) publish(watchers []chan<- View) {
	for _, w := range watchers {
		select {
		case w <- *v:
		default:
		}
	}
}

// publishView takes a fresh view and offers it to the watchers.
func (ix *Index) publishView() {
	ix.view().publish(ix.watchers)
}

// Apply applies a batch of changes and tells the watchers about the result.
func (ix *Index) Apply(changes []Entry) {
	defer ix.view().publish(ix.watchers) // HAZ defer-call-chain
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	for _, e := range changes {
		ix.putLocked(e)
	}
	ix.bump(func(s *Stats) { s.Puts += len(changes) })
}

// Replace swaps the whole content of the index and tells the watchers. The
// view is taken after the lock has been released (defers run last-in,
// first-out).
func (ix *Index) Replace(entries []Entry) {
	defer ix.publishView()
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	ix.entries = make(map[string]Entry, len(entries))
	ix.byStream = make(map[string][]string)
	for _, e := range entries {
		ix.putLocked(e)
	}
}
