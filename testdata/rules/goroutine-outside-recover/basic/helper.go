package outsiderecover

import (
	"errors"
	"log"
	"net/http"

	"example.com/outsiderecover/safe"
)

type supervisor struct{ idle []int }

func (s *supervisor) reapIdle() {
	for _, i := range s.idle {
		work(i)
	}
}

// Protected by the module's recover helper, but the goroutine is not.
func (s *supervisor) start() {
	defer safe.Recover("supervisor start")
	go s.reapIdle() // want `supervisor\.start protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ runs supervisor\.reapIdle, which has no recover of its own`
}

// The goroutine defers the same helper: no finding.
func (s *supervisor) startSafely() {
	defer safe.Recover("supervisor start")
	go func() {
		defer safe.Recover("reaper")
		s.reapIdle()
	}()
}

// A handler's recover that re-panics only http.ErrAbortHandler still stops every other panic.
func recoverHTTP(w http.ResponseWriter) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		log.Print(p)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func serveLogin(w http.ResponseWriter, r *http.Request) {
	defer recoverHTTP(w)
	user := r.FormValue("user")
	go func() { // want `serveLogin protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
		work(len(user))
	}()
}

// The same written with an early return: the sentinel test sits at the top level of the handler.
func recoverRequest(w http.ResponseWriter) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	log.Print(v)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func serveAsync(w http.ResponseWriter, r *http.Request) {
	defer recoverRequest(w)
	fn := r.FormValue("fn")
	go func() { // want `serveAsync protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
		work(len(fn))
	}()
}

var testHookOnPanic func(any) bool

// A recover that runs only when a test hook is set protects nothing in production: no finding.
func notePanic() {
	if testHookOnPanic != nil {
		if e := recover(); e != nil {
			if testHookOnPanic(e) {
				panic(e)
			}
		}
	}
}

func serveConn(n int) {
	defer notePanic()
	go work(n)
}

// Each item runs in a literal called in place with its own recover: the worker is protected.
func boundedMap(in []int, workers int) (out []int) {
	defer safe.Recover("bounded map")
	out = make([]int, len(in))
	idx := make(chan int)
	done := make(chan struct{})
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range idx {
				func() {
					defer safe.Recover("item")
					out[i] = work(in[i])
				}()
			}
		}()
	}
	for i := range in {
		idx <- i
	}
	close(idx)
	for range workers {
		<-done
	}
	return out
}

// The handler is a function value: whatever it runs, nothing in its goroutine recovers.
func dispatch(events []string, handle func(string)) {
	defer safe.Recover("dispatch")
	for _, ev := range events {
		go handle(ev) // want `dispatch protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ runs the function value handle`
	}
}

// Function values taken from an interface and from a map are out of sight as well.
func notifyHooks(hooks map[string]any, named map[string]func(), event string) {
	defer safe.Recover("notifyHooks")
	if h, ok := hooks[event]; ok {
		go h.(func(string))(event) // want `notifyHooks protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ runs the function value h\.\(func\(string\)\)`
	}
	if f := named[event]; f != nil {
		go named[event]() // want `runs the function value named\[event\]`
	}
}

// verifyPart recovers by itself.
func verifyPart(p int) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
	}()
	return work(p) >= 0
}

// The workers' only work is a function that recovers by itself: no finding.
func verifyAll(parts []int) bool {
	defer safe.Recover("verify")
	in := make(chan int)
	out := make(chan bool, len(parts))
	for range 2 {
		go func() {
			for p := range in {
				out <- verifyPart(p)
			}
		}()
	}
	for _, p := range parts {
		in <- p
	}
	close(in)
	all := true
	for range parts {
		all = <-out && all
	}
	return all
}

// store is implemented by the program: its methods run the program's own code.
type store interface {
	Put(key, value string) error
}

func notifyStore(s store, key string) {
	defer safe.Recover("notifyStore")
	go s.Put("last", key) // want `notifyStore protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ runs the interface method s\.Put`
}
