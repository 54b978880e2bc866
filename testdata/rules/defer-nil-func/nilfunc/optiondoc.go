package nilfunc

import "context"

type hookStage struct {
	name    string
	onClose func() // optional, set by withCloseHook
	onStart func() // set by withStartHook
}

type hookStageOpt func(*hookStage)

func withCloseHook(fn func()) hookStageOpt { return func(s *hookStage) { s.onClose = fn } }

func withStartHook(fn func()) hookStageOpt { return func(s *hookStage) { s.onStart = fn } }

func newHookStage(name string, opts ...hookStageOpt) *hookStage {
	s := &hookStage{name: name}
	for _, o := range opts {
		o(s)
	}
	return s
}

// The field's comment calls it optional and only an option sets it: without the option the
// deferred call is nil.
func (s *hookStage) run(ctx context.Context, in <-chan int) error {
	defer s.onClose() // want `the comment on hookStage\.onClose \(line \d+\) says it may be left unset, and only a functional option sets it`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-in:
			if !ok {
				return nil
			}
		}
	}
}

// No comment calls onStart optional: not reported.
func (s *hookStage) start() {
	defer s.onStart()
}
