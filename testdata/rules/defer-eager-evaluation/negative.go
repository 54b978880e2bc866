package eager

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

func snapshotUnchanged() {
	x := 3
	defer fmt.Println("x =", x)
	work()
}

func closureReadsAtExit() (err error) {
	start := time.Now()
	defer func() {
		log.Printf("took %v, err=%v", time.Since(start), err)
	}()
	return step()
}

func logDuration(name string, start time.Time) {
	log.Printf("%s took %v", name, time.Since(start))
}

func startTimeIdiom() {
	defer logDuration("op", time.Now())
	work()
}

func pointerToErr() (err error) {
	defer report(&err)
	return step()
}

func report(p *error) {}

func deferInLoopEachValue(names []string) {
	var f *os.File
	for _, n := range names {
		f, _ = os.Open(n)
		defer f.Close()
	}
}

func newVariablePerIteration(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}

func assignedBeforeDefer() {
	f, _ := os.Open("a")
	f, _ = os.Open("b")
	defer f.Close()
}

func otherBranch(a bool) {
	f, _ := os.Open("a")
	if a {
		defer f.Close()
	} else {
		f, _ = os.Open("b")
		_ = f
	}
}

func receiverSetToNil() {
	f, _ := os.Open("a")
	defer f.Close()
	f = nil
	_ = f
}

func mutexValue() {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	mu = sync.Mutex{}
}

func returnSameErr() (err error) {
	defer logResult("op", err)
	return err
}

func cancelFunc() {
	done := make(chan struct{})
	defer close(done)
	work()
}

func funcVarUnchanged() {
	cleanup := func() {}
	defer cleanup()
	work()
}

func unrelatedShadow() {
	x := 1
	defer fmt.Println(x)
	if true {
		x := 2
		_ = x
	}
}

func counterSnapshot() {
	n := 0
	// Printing a value at the defer is taken as a deliberate snapshot.
	defer fmt.Println("started with", n)
	for i := 0; i < 3; i++ {
		n++
	}
}

var hostsPath = "/etc/hosts"

func restoreGlobal() {
	defer func(orig string) { hostsPath = orig }(hostsPath)
	hostsPath = "testdata/hosts"
}

func redeferred() {
	f, _ := os.Open("a")
	defer f.Close()
	f, _ = os.Open("b")
	defer f.Close()
}

func cancelRedeferred() {
	cancel := func() {}
	defer cancel()
	cancel = func() {}
	defer cancel()
}

func closeDB(db *os.File) { db.Close() }

func argRedeferred() {
	db, _ := os.Open("a")
	defer closeDB(db)
	db, _ = os.Open("b")
	defer closeDB(db)
}

func newVariableEachIteration(names []string) {
	for _, n := range names {
		var f *os.File
		var err error
		f, err = os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}

func copiedFromOtherVariable() {
	f, _ := os.Open("a")
	defer f.Close()
	g, _ := os.Open("b")
	defer g.Close()
	f = g
	_ = f
}

func reopenedWithEarlyReturn(open func() *os.File) {
	d := open()
	if d == nil {
		return
	}
	defer d.Close()
	if d = open(); d == nil {
		return
	}
	defer d.Close()
}

func cancelCalledExplicitly(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Millisecond)
	<-ctx.Done()
	cancel()
}

// The new context is a child of the one the deferred cancel ends: cancelling the parent at exit
// cancels it too, so its own cancel function need not be called.
func childContext(ctx context.Context, check func(context.Context, context.CancelFunc) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ctx, cancel = context.WithCancel(ctx)
	return check(ctx, cancel)
}

func closedExplicitly() error {
	f, err := os.Open("a")
	if err != nil {
		return err
	}
	defer f.Close()
	f, err = os.Open("b")
	if err != nil {
		return err
	}
	return f.Close()
}

type listener interface{ Close() error }

func wrap(l listener) listener { return l }

func wrappedValue(open func() listener) {
	l := open()
	defer l.Close()
	l = wrap(l)
	_ = l
}

func derivedPath() {
	dir, err := os.MkdirTemp("", "x")
	if err != nil {
		return
	}
	defer os.RemoveAll(dir)
	dir = filepath.Join(dir, "sub")
	_ = dir
}

type store struct{}

func (store) Stop(ctx context.Context) {}

func methodArgumentIsAnOption(s store) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	defer s.Stop(ctx)
	ctx, cancel = context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.Stop(ctx)
}

type conn struct{}

func (*conn) Close() error { return nil }

func dial(int) (*conn, error) { return &conn{}, nil }

// A retry loop that dials ahead of the defer: each new connection is deferred in its turn
// (the pile-up in the loop is defer-in-loop's finding, not this rule's).
func retryDial(tries int) error {
	var c *conn
	var err error
	for i := 0; ; i++ {
		if c == nil {
			c, err = dial(i)
			if err != nil {
				if i < tries {
					continue
				}
				return err
			}
			defer c.Close()
		}
		if i > 2 {
			return nil
		}
		c = nil
	}
}

type op struct {
	name  string
	start time.Time
}

func finishOp(o op) { log.Println(o.name, time.Since(o.start)) }

// time.Now() into a time.Time field of the argument: the start-time idiom.
func startInStruct() {
	defer finishOp(op{name: "sync", start: time.Now()})
	defer finishOp(op{"copy", time.Now()})
}

// A start time passed to a deferred literal's time.Time parameter.
func startIntoLiteral() {
	defer func(start time.Time) { log.Println(time.Since(start)) }(time.Now())
}

type span struct{}

func (*span) End(err error) { _ = err }

// Every return after the defer returns nil: no error is missed.
func spanNilReturn(s *span) (err error) {
	defer s.End(err)
	fmt.Println("x")
	return nil
}

// The only later write is on a path that ends the process: the deferred call never runs there.
func eagerFatal(bad bool) {
	var err error
	defer reportErr(err)
	if bad {
		err = errors.New("bad")
		log.Fatal(err)
	}
}

func reportErr(err error) { log.Println(err) }

type startTracker struct{}

func (startTracker) Track(start time.Time, op string) {}

// The start time handed to a tracker that measures from it: the measuring idiom.
func trackFromStart(t startTracker) {
	defer t.Track(time.Now(), "op")
	work()
}

// A value handed to a deferred literal's parameter is a deliberate snapshot.
func literalSnapshot() {
	n := 1
	defer func(v int) { fmt.Println(v) }(n)
	n = 2
	_ = n
}

type bufPool struct{}

func (bufPool) Get() *[]byte  { return new([]byte) }
func (bufPool) Put(b *[]byte) {}

// The variable moves on to a buffer that has its own deferred Put: both go back to the pool.
func pooledBuffers(p bufPool, compressed bool) int {
	data := p.Get()
	defer p.Put(data)
	if compressed {
		decompressed := p.Get()
		defer p.Put(decompressed)
		data = decompressed
	}
	return len(*data)
}

type request struct{ tags []string }

func (r *request) withTag(t string) *request { return &request{tags: append(r.tags, t)} }

func logRequest(r *request) {}

// The request wrapped again for what follows: the deferred log keeps the original on purpose.
func handleTagged(r *request, failed bool) {
	defer logRequest(r)
	if failed {
		r = r.withTag("error")
	}
	_ = r
}

// The reference is dropped right after the defer, with nothing in between that a nil could be
// meant to disarm: the deferred call keeps the function, as intended.
func funcVarReleased() {
	undo := func() { fmt.Println("undo") }
	defer undo()
	undo = nil
	_ = undo
}
