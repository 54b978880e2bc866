package rec

import (
	"fmt"

	"example.com/recoverineffective/safe"
)

type supState struct {
	safe.Guarded
	lastPanic string
}

type supervisor struct{ state supState }

// The literal runs inside With, a promoted method of another package that calls it in place: its
// recover is not called by the deferred function.
func (s *supervisor) runRecorded(name string, fn func()) {
	defer func() {
		s.state.With(func() {
			if r := recover(); r != nil { // want `recover\(\) in the function literal on line \d+ returns nil: the literal is called inside the function literal on line \d+, which is deferred`
				s.state.lastPanic = fmt.Sprintf("%s: %v", name, r)
			}
		})
	}()
	fn()
}
