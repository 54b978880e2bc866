package fixture

import "sync"

type stream struct {
	monitorWg sync.WaitGroup
	name      string
}

func lookupStream(name string) *stream { return &stream{name: name} }

// The deferred Done on a field of the stream releases the group's count, not the stream: the
// message says what piles up without calling the stream a resource.
func monitor(names []string) {
	for _, n := range names {
		if s := lookupStream(n); s != nil {
			s.monitorWg.Add(1)
			defer s.monitorWg.Done() // want `the deferred s\.monitorWg\.Done\(\) runs only when monitor returns, not at the end of each iteration of the loop on line 15`
		}
	}
}
