package doc

import (
	"context"
	"errors"
	"sync"

	"example.com/collab/internal/ot"
)

// ErrMergerStopped is returned by Submit after the merge loop has exited.
var ErrMergerStopped = errors.New("doc: merge loop stopped")

// Request is one operation waiting for the merge loop. Reply must have room
// for one result so the loop never blocks on a caller that gave up.
type Request struct {
	Op    ot.Op
	Reply chan<- Result
}

// Result is the merge loop's answer to a Request.
type Result struct {
	Change Change
	Err    error
}

// Merger serialises all edits of one document through a single goroutine and
// publishes accepted changes for fan-out.
type Merger struct {
	doc      *Document
	in       chan Request
	out      chan<- Change
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// NewMerger returns a merge loop for d that publishes changes on out.
func NewMerger(d *Document, out chan<- Change, depth int) *Merger {
	return &Merger{
		doc:  d,
		in:   make(chan Request, depth),
		out:  out,
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
}

// Done is closed when Run has returned.
func (m *Merger) Done() <-chan struct{} { return m.done }

// Stop asks the loop to exit. It is safe to call more than once.
func (m *Merger) Stop() {
	m.stopOnce.Do(func() { close(m.stop) })
}

// Run is the merge loop. It returns when ctx is done or Stop is called.
func (m *Merger) Run(ctx context.Context) {
	defer close(m.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.stop:
			return
		case req := <-m.in:
			m.handle(ctx, req)
		}
	}
}

// handle applies one request and publishes the result.
func (m *Merger) handle(ctx context.Context, req Request) {
	ch, err := m.doc.Submit(req.Op)
	req.Reply <- Result{Change: ch, Err: err}
	if err != nil {
		return
	}
	select {
	case m.out <- ch:
	case <-ctx.Done():
	case <-m.stop:
	}
}

// Submit queues op and waits for the merge loop to apply it.
func (m *Merger) Submit(ctx context.Context, op ot.Op) (Change, error) {
	reply := make(chan Result, 1)
	select {
	case m.in <- Request{Op: op, Reply: reply}:
	case <-m.done:
		return Change{}, ErrMergerStopped
	case <-ctx.Done():
		return Change{}, ctx.Err()
	}
	select {
	case r := <-reply:
		return r.Change, r.Err
	case <-ctx.Done():
		return Change{}, ctx.Err()
	}
}

// Preview returns the text the document would have if op were applied now,
// without applying it.
func (m *Merger) Preview(ctx context.Context, op ot.Op) (string, error) {
	type preview struct {
		text string
		err  error
	}
	res := make(chan preview)
	go func() {
		rop, text, err := m.doc.rebase(op)
		if err == nil {
			text, err = ot.Apply(text, rop)
		}
		res <- preview{text: text, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case p := <-res:
		return p.text, p.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// MergeFeeds copies changes from every input onto out until all inputs are
// closed, then closes out. Run it in its own goroutine.
func MergeFeeds(out chan<- Change, ins ...<-chan Change) {
	defer close(out)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func(in <-chan Change) {
			defer wg.Done()
			for ch := range in {
				out <- ch
			}
		}(in)
	}
	wg.Wait()
}
