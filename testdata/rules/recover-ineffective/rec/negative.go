package rec

import (
	"errors"
	"fmt"
	"log"
)

// The standard shape.
func literal() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	panic("boom")
}

// A named helper that is deferred directly.
func onPanic() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

func deferredHelper() {
	defer onPanic()
	panic("boom")
}

// A helper that is deferred in one place and called from nowhere else.
type server struct{}

func (s *server) recoverRequest() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

func (s *server) serve() {
	defer s.recoverRequest()
}

// A function used as a value: it may be deferred through the variable.
func viaValue() {
	h := onValue
	defer h()
}

func onValue() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

// A literal stored in a variable and deferred through it.
func storedLiteral() {
	cleanup := func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}
	defer cleanup()
	panic("boom")
}

// recover() in the arguments of a defer inside a deferred function is called by that function.
func argsInDeferred() {
	defer func() {
		defer logPanic(recover())
	}()
}

// A literal deferred inside a deferred literal recovers panics of the outer one.
func nestedDefer() {
	defer func() {
		defer func() {
			if r := recover(); r != nil {
				log.Println(r)
			}
		}()
		panic("in defer")
	}()
}

// A literal passed to a function: how it is run is not known here.
func passed() {
	protect(func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	})
}

func protect(f func()) { defer f() }

// Deferred literal that re-panics with context.
func rethrow() {
	defer func() {
		if r := recover(); r != nil {
			panic(errors.Join(errors.New("wrapped"), fmt.Errorf("%v", r)))
		}
	}()
}

// A literal held by a local variable and deferred through it.
func heldDeferred() {
	handle := func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}
	defer handle()
	panic("boom")
}

// The variable is passed on: where the literal runs is not visible here.
func heldEscapes(run func(func())) {
	h := func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}
	run(h)
	h()
}
