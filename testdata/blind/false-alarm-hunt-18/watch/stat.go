package watch

import "sync"

// StatAll stats paths with at most limit stats in flight, sending one
// Event per path on out. It closes out when it is done.
func StatAll(paths []string, limit int, out chan<- Event) {
	defer close(out) // HAZ defer-close-chan-with-sender
	sem := make(chan struct{}, limit)
	for _, p := range paths {
		sem <- struct{}{}
		go func() {
			out <- statEvent(p)
			<-sem
		}()
	}
}

// StatEach is like StatAll but leaves out open for the caller.
func StatEach(paths []string, limit int, out chan<- Event) {
	sem := make(chan struct{}, limit)
	for _, p := range paths {
		sem <- struct{}{}
		go func() {
			out <- statEvent(p)
			<-sem
		}()
	}
	for range limit {
		sem <- struct{}{}
	}
}

// StatAllSorted is StatAll for callers that want the results in path
// order: it collects every result before closing out.
func StatAllSorted(paths []string, limit int, out chan<- Event) {
	defer close(out)
	results := make([]Event, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for i, p := range paths {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = statEvent(p)
			<-sem
		}()
	}
	wg.Wait()
	for _, ev := range results {
		out <- ev
	}
}
