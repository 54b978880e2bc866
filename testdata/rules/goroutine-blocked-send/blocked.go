package blockedsend

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type result struct {
	n   int
	err error
}

func fetch(ctx context.Context, key string) (int, error) { return len(key), ctx.Err() }

// ---- positives ----

// The select gives up on ctx.Done(); the worker then blocks forever on its send.
func lookup(ctx context.Context, key string) (int, error) {
	ch := make(chan result) // want `lookup makes ch unbuffered, and the goroutine started on line 22 sends its result on it \(line 24\); when the select on line 26 takes its <-ctx.Done\(\) case, lookup returns without receiving, so the goroutine blocks forever on the send: one leaked goroutine per call; buffer the channel \(make\(chan result, 1\)\)`
	go func() {
		n, err := fetch(ctx, key)
		ch <- result{n, err}
	}()
	select {
	case r := <-ch:
		return r.n, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// A time.After case.
func withDeadline(key string) (int, error) {
	done := make(chan int) // want `when the select on line 41 takes its <-time.After\(time.Second\) case`
	go func() {
		n, _ := fetch(context.Background(), key)
		done <- n
	}()
	select {
	case n := <-done:
		return n, nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

// An early return before the receive.
func earlyReturn(key string) (int, error) {
	out := make(chan int) // want `the return on line 57 leaves before receiving from out`
	go func() {
		n, _ := fetch(context.Background(), key)
		out <- n
	}()
	if key == "" {
		return 0, errors.New("empty key")
	}
	return <-out, nil
}

// Inside a request handler the leak is per request: critical.
func handler(w http.ResponseWriter, r *http.Request) {
	res := make(chan string) // want `handler makes res unbuffered.*one leaked goroutine per request \(handler is a net/http handler\)`
	go func() {
		res <- r.URL.Path
	}()
	select {
	case p := <-res:
		_, _ = w.Write([]byte(p))
	case <-r.Context().Done():
		http.Error(w, "cancelled", http.StatusGatewayTimeout)
	}
}

// make(chan T, 0) is unbuffered too, and the sender is a named function.
func send(c chan<- error, f func() error) {
	c <- f()
}

func namedSender(ctx context.Context, f func() error) error {
	errc := make(chan error, 0) // want `the goroutine started on line 83 sends its result on it \(line 78\)`
	go send(errc, f)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A timer's channel.
func withTimer(key string) int {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	ch := make(chan int) // want `select on line 101 takes its <-t.C case`
	go func() {
		n, _ := fetch(context.Background(), key)
		ch <- n
	}()
	select {
	case n := <-ch:
		return n
	case <-t.C:
		return -1
	}
}

// Several sends: no mechanical fix, still a leak.
func twoSends(ctx context.Context) (int, error) {
	ch := make(chan int) // want `twoSends makes ch unbuffered.*give the channel room for every sender`
	go func() {
		n, err := fetch(ctx, "a")
		if err != nil {
			ch <- -1
			return
		}
		ch <- n
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// A receive loop that returns on the first error leaves the remaining senders blocked.
func firstErr(ctx context.Context, keys []string) error {
	errc := make(chan error) // want `the return on line 139 leaves before receiving from errc once per sender, so the goroutines not yet received from block forever`
	for _, k := range keys {
		go func() {
			_, err := fetch(ctx, k)
			errc <- err
		}()
	}
	for range keys {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ---- negatives ----

// Buffered: the goroutine can always deliver and exit.
func buffered(ctx context.Context, key string) (int, error) {
	ch := make(chan result, 1)
	go func() {
		n, err := fetch(ctx, key)
		ch <- result{n, err}
	}()
	select {
	case r := <-ch:
		return r.n, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// The sender selects on ctx.Done() too.
func senderSelects(ctx context.Context, key string) (int, error) {
	ch := make(chan int)
	go func() {
		n, _ := fetch(ctx, key)
		select {
		case ch <- n:
		case <-ctx.Done():
		}
	}()
	select {
	case n := <-ch:
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Every path receives.
func alwaysReceives(key string) int {
	ch := make(chan int)
	go func() {
		n, _ := fetch(context.Background(), key)
		ch <- n
	}()
	return <-ch
}

// The channel escapes: someone else may receive.
func escapes(key string) <-chan int {
	ch := make(chan int)
	go func() {
		n, _ := fetch(context.Background(), key)
		ch <- n
	}()
	return ch
}

// The return before the goroutine starts does not leak it.
func returnBeforeGo(key string) (int, error) {
	ch := make(chan int)
	if key == "" {
		return 0, errors.New("empty")
	}
	go func() {
		n, _ := fetch(context.Background(), key)
		ch <- n
	}()
	return <-ch, nil
}

// A loop that takes one value per sender and is never left early.
func gatherAll(ctx context.Context, keys []string) int {
	ch := make(chan int)
	for _, k := range keys {
		go func() {
			n, _ := fetch(ctx, k)
			ch <- n
		}()
	}
	total := 0
	for range keys {
		total += <-ch
	}
	return total
}

// The receive happens in a deferred function.
func deferredReceive(key string) error {
	done := make(chan struct{})
	go func() {
		_, _ = fetch(context.Background(), key)
		done <- struct{}{}
	}()
	defer func() { <-done }()
	if key == "" {
		return errors.New("empty")
	}
	return nil
}

// A goroutine that only receives (the parent sends).
func parentSends(vals []int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	for _, v := range vals {
		ch <- v
	}
	close(ch)
}

// The channel comes from a parameter: its buffering is unknown here.
func fromParam(ctx context.Context, ch chan int) error {
	go func() {
		ch <- 1
	}()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The send has a default case.
func nonBlocking(ctx context.Context) error {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		default:
		}
	}()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A fresh channel per iteration with one sender, drained before the outer loop may break.
func perIteration(keys []string) int {
	total := 0
	for _, k := range keys {
		ch := make(chan int)
		go func() {
			n, _ := fetch(context.Background(), k)
			ch <- n
		}()
		n := <-ch
		total += n
		if total > 10 {
			break
		}
	}
	return total
}

// Goroutines that send to and receive from each other: not results for this function.
func pingPong(rounds int) {
	ball := make(chan int)
	done := make(chan bool, 2)
	for p := 0; p < 2; p++ {
		go func() {
			for i := 0; i < rounds; i++ {
				if p == 0 {
					ball <- i
					<-ball
				} else {
					<-ball
					ball <- i
				}
			}
			done <- true
		}()
	}
	<-done
	<-done
}

// The receive loop returns only once every worker has reported, counted separately.
func untilAllDone(ctx context.Context, keys []string) error {
	errc := make(chan error)
	for _, k := range keys {
		go func() {
			_, err := fetch(ctx, k)
			errc <- err
		}()
	}
	active := len(keys)
	var first error
	for {
		err := <-errc
		if first == nil {
			first = err
		}
		active--
		if active == 0 {
			return first
		}
	}
}

// The goroutine sends either a value or an error, and the select takes whichever comes.
func valueOrError(key string) (int, error) {
	vals := make(chan int)
	errs := make(chan error)
	go func() {
		n, err := fetch(context.Background(), key)
		if err != nil {
			errs <- err
			return
		}
		vals <- n
	}()
	select {
	case n := <-vals:
		return n, nil
	case err := <-errs:
		return 0, err
	}
}

// The goroutine either reports an error or closes ok; the select waits for one of them.
func errOrDone(key string) error {
	ok := make(chan struct{})
	errs := make(chan error)
	go func() {
		if _, err := fetch(context.Background(), key); err != nil {
			errs <- err
			return
		}
		close(ok)
	}()
	select {
	case <-ok:
		return nil
	case err := <-errs:
		return err
	}
}

// The same, with a timeout case: on timeout the error send blocks forever.
func errOrDoneTimeout(key string) error {
	ok := make(chan struct{})
	errs := make(chan error) // want `when the select on line 400 takes its <-time.After\(time.Minute\) case`
	go func() {
		if _, err := fetch(context.Background(), key); err != nil {
			errs <- err
			return
		}
		close(ok)
	}()
	select {
	case <-ok:
		return nil
	case err := <-errs:
		return err
	case <-time.After(time.Minute):
		return errors.New("timeout")
	}
}

// A non-ASCII type name: the fix is placed by byte offset.
type résultat struct{ n int }

func nonASCII(ctx context.Context) résultat {
	ch := make(chan résultat) // want `nonASCII makes ch unbuffered.*make\(chan résultat, 1\)`
	go func() {
		ch <- résultat{1}
	}()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return résultat{}
	}
}

type job struct{ next []*job }

// Handlers started from a range over the channel send follow-up jobs on it; the last one
// closes it. The range receives until the close, so no handler is left blocked.
func handleJob(j, last *job, queue chan *job) {
	if j == last {
		close(queue)
		return
	}
	for _, n := range j.next {
		queue <- n
	}
}

func drainQueue(jobs []*job, last *job) int {
	queue := make(chan *job)
	go func() {
		for _, j := range jobs {
			queue <- j
		}
	}()
	for j := range queue {
		go handleJob(j, last, queue)
	}
	return len(jobs)
}

// The same, but the range loop is left with break: the handlers still running block.
func drainQueueBreak(jobs []*job, last *job) int {
	queue := make(chan *job) // want `drainQueueBreak makes queue unbuffered, and the goroutine started on line \d+ sends its result on it`
	go func() {
		for _, j := range jobs {
			queue <- j
		}
	}()
	for j := range queue {
		go handleJob(j, last, queue)
		if j == nil {
			break
		}
	}
	return len(jobs)
}

// A fresh channel per task of a range over another channel: the timeout case strands the
// worker, whatever the outer range does.
func runTasks(tasks chan func() error) error {
	var last error
	for t := range tasks {
		ch := make(chan error) // want `the function literal on line \d+ makes ch unbuffered|runTasks makes ch unbuffered`
		go func(task func() error) {
			ch <- task()
		}(t)
		select {
		case err := <-ch:
			last = err
		case <-time.After(time.Second):
			last = errors.New("timed out")
		}
	}
	return last
}
