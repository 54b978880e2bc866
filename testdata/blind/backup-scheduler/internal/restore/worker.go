package restore

import (
	"context"
	"log"
)

// Request asks the restore worker to extract an archive of a target. The
// worker sends the result on Done, which must have room for one value.
type Request struct {
	Target  string
	Archive string
	Dest    string
	Done    chan<- error
}

// Worker runs restores one at a time, each under its target's lock so that
// no backup of that target runs meanwhile.
type Worker struct {
	Lock func(target string) (unlock func())
	Log  *log.Logger
}

// Serve handles requests until reqs is closed.
func (w *Worker) Serve(reqs <-chan Request) {
	for req := range reqs {
		unlock := w.Lock(req.Target)
		defer unlock() // HAZ defer-in-infinite-loop
		n, err := Extract(req.Archive, req.Dest)
		if err == nil {
			w.Log.Printf("restored %d files of %s into %s", n, req.Archive, req.Dest)
		}
		req.Done <- err
	}
}

// ServeCtx handles requests until ctx is done.
func (w *Worker) ServeCtx(ctx context.Context, reqs <-chan Request) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-reqs:
			req.Done <- w.handle(req)
		}
	}
}

func (w *Worker) handle(req Request) error {
	defer w.Lock(req.Target)()
	n, err := Extract(req.Archive, req.Dest)
	if err != nil {
		w.Log.Printf("restore of %s failed: %v", req.Archive, err)
		return err
	}
	w.Log.Printf("restored %d files of %s into %s", n, req.Archive, req.Dest)
	return nil
}
