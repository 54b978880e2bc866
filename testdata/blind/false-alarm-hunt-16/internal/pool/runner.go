package pool

import "log"

// Runner runs named jobs and announces each completed job on Done.
type Runner struct {
	done    chan string
	dropped int
}

// NewRunner returns a Runner. Completions are delivered on an unbuffered
// channel to whoever is currently listening.
func NewRunner() *Runner {
	return &Runner{done: make(chan string)}
}

// Done delivers the names of completed jobs.
func (r *Runner) Done() <-chan string { return r.done }

// Run runs job and announces its completion.
func (r *Runner) Run(name string, job func() error) error {
	defer func() { r.done <- name }() // HAZ defer-blocking-call
	return job()
}

// TryRun runs job and announces its completion if someone is listening;
// otherwise the completion is counted as dropped.
func (r *Runner) TryRun(name string, job func() error) error {
	defer func() {
		select {
		case r.done <- name:
		default:
			r.dropped++
			log.Printf("runner: nobody listening for %s", name)
		}
	}()
	return job()
}
