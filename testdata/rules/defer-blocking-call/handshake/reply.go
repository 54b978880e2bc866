package handshake

import "context"

type job struct {
	f    func()
	sync bool
}

// mainThread runs functions on one goroutine; Call waits for the reply on done.
type mainThread struct {
	funcs chan job
	done  chan struct{}
}

func newMainThread() *mainThread {
	return &mainThread{funcs: make(chan job), done: make(chan struct{})}
}

// Loop replies on done after each synchronous job: the caller of Call is blocked on <-t.done
// right after its request, so the deferred send is taken at once.
func (t *mainThread) Loop(ctx context.Context) error {
	for {
		select {
		case j := <-t.funcs:
			func() {
				if j.sync {
					defer func() {
						t.done <- struct{}{}
					}()
				}
				j.f()
			}()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (t *mainThread) Call(f func()) {
	t.funcs <- job{f: f, sync: true}
	<-t.done
}

// renderer replies on finished, but Submit does not wait for the reply: nobody is receiving when
// the deferred send runs, so the render loop stops for good after its first frame.
type renderer struct {
	frames   chan func()
	finished chan struct{}
	count    int
}

func newRenderer() *renderer {
	return &renderer{frames: make(chan func()), finished: make(chan struct{})}
}

func (r *renderer) Run(ctx context.Context) {
	for {
		select {
		case f := <-r.frames:
			func() {
				defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → r\.finished <- struct\{\}\{\} \(line \d+\) blocks until another goroutine receives from the unbuffered channel`
					r.finished <- struct{}{}
				}()
				f()
			}()
		case <-ctx.Done():
			return
		}
	}
}

func (r *renderer) Submit(f func()) {
	r.frames <- f
	r.count++
}

// Wait waits for one frame to finish.
func (r *renderer) Wait() {
	<-r.finished
}
