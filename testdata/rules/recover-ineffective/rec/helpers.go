package rec

import (
	"log"
	"net/http"
)

// Recovering helpers reached from deferred closures by a call instead of being deferred.

func logRecovered(where string) {
	if r := recover(); r != nil { // want `recover\(\) in logRecovered returns nil: logRecovered is only called from deferred closures \(line 17\)`
		log.Printf("%s: %v", where, r)
	}
}

func handler(w http.ResponseWriter, r *http.Request) {
	defer func() { logRecovered(r.URL.Path) }()
	w.WriteHeader(http.StatusOK)
}

type pool struct{ name string }

func (p *pool) catch() {
	if v := recover(); v != nil { // want `recover\(\) in pool\.catch returns nil: pool\.catch is only called from deferred closures \(line 31, 37\)`
		log.Printf("%s: %v", p.name, v)
	}
}

func (p *pool) work(f func()) {
	defer func() {
		p.catch()
	}()
	f()
}

func (p *pool) workLogged(f func()) {
	defer func() { log.Println("done"); p.catch() }()
	f()
}

// Two levels: the deferred closure calls a helper that calls the recovering one.
func deepRecover() {
	if r := recover(); r != nil { // want `recover\(\) in deepRecover returns nil`
		log.Println(r)
	}
}

func middle() { deepRecover() }

func twoLevels() {
	defer func() { middle() }()
	panic("x")
}

// Not findings: helpers that are deferred themselves somewhere.

func rescue() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

func deferredHere() {
	defer rescue()
}

// Also called from a closure elsewhere: that call is ineffective, but the function itself does
// work where it is deferred, so the recover is not reported.
func alsoFromClosure() {
	defer func() { rescue() }()
}

// Deferred through a method value.
type guard struct{}

func (g guard) stop() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

func methodValueDeferred() {
	var g guard
	stop := g.stop
	defer stop()
}

// Deferred in a goroutine's own body.
func goroutineDefers(f func()) {
	go func() {
		defer rescue()
		f()
	}()
}

// Called from a named function that is deferred elsewhere: recover is one call too deep there too.
func noteRecovered() {
	if r := recover(); r != nil { // want `recover\(\) in noteRecovered returns nil: noteRecovered is only called from deferred functions \(line 103\)`
		println("recovered:", r)
	}
}

func shutdownHook() { noteRecovered() }

func runWithHook() {
	defer shutdownHook()
	println("working")
}
