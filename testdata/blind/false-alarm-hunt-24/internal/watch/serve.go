package watch

import (
	"context"
	"os"

	"example.com/fah24/internal/fsutil"
)

// Request asks for the line count of a generated file.
type Request struct {
	Path  string
	Reply chan<- Reply // buffered by the requester
}

// Reply answers a Request.
type Reply struct {
	Lines int
	Err   error
}

// ServeEditor answers requests from the editor plugin's pipe. The request
// channel is never closed: the editor connection lives as long as the tool.
func (w *Watcher) ServeEditor(reqs <-chan Request) {
	for req := range reqs {
		f, err := os.Open(req.Path)
		if err != nil {
			req.Reply <- Reply{Err: err}
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		n, err := fsutil.CountNewlines(f)
		req.Reply <- Reply{Lines: n, Err: err}
	}
}

// ServeStatus answers requests from the status bar until ctx is done. Each
// request is handled by answer, whose deferred Close runs per request.
func (w *Watcher) ServeStatus(ctx context.Context, reqs <-chan Request) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-reqs:
			req.Reply <- w.answer(req.Path)
		}
	}
}

func (w *Watcher) answer(path string) Reply {
	f, err := os.Open(path)
	if err != nil {
		return Reply{Err: err}
	}
	defer f.Close()
	n, err := fsutil.CountNewlines(f)
	return Reply{Lines: n, Err: err}
}

// ServeBatch answers a finite batch of requests, closing each file at the
// end of its own iteration.
func (w *Watcher) ServeBatch(reqs []Request) {
	for _, req := range reqs {
		func() {
			f, err := os.Open(req.Path)
			if err != nil {
				req.Reply <- Reply{Err: err}
				return
			}
			defer f.Close()
			n, err := fsutil.CountNewlines(f)
			req.Reply <- Reply{Lines: n, Err: err}
		}()
	}
}
