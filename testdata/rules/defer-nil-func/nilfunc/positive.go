// Package nilfunc defers function values that can be nil when the deferred calls run.
package nilfunc

import (
	"errors"
	"os"
)

func setup() (func(), error) { return func() {}, nil }

func assignedOnOnePath(useTemp bool) error {
	var cleanup func()
	if useTemp {
		dir, err := os.MkdirTemp("", "x")
		if err != nil {
			return err
		}
		cleanup = func() { os.RemoveAll(dir) }
	}
	defer cleanup() // want `cleanup is nil on a path from its declaration on line 12 to this defer`
	return nil
}

func assignedInOneCase(mode int) {
	var undo func()
	switch mode {
	case 1:
		undo = func() {}
	case 2:
		undo = func() {}
	}
	defer undo() // want `undo is nil`
}

func declaredNil() {
	var done func() = nil
	defer done() // want `done is nil`
}

func afterFailedSetup() error {
	var release func()
	var err error
	if os.Getenv("X") != "" {
		release, err = setup()
		if err != nil {
			return err
		}
	}
	defer release() // want `release is nil`
	return nil
}

func namedResult() (stop func()) {
	defer stop() // want `stop is nil`
	stop = func() {}
	return stop
}

func assignedAfterDefer() {
	var hook func()
	defer hook() // want `hook is nil`
	hook = func() {}
}

var handlers = map[string]func(){
	"a": func() {},
}

func mapLookup(name string) {
	defer handlers[name]() // want `handlers\[name\]\(\) is nil when name is not a key`
}

func mapLookupLocal(m map[int]func() error) {
	defer m[1]() // want `m\[1\]`
}

func fromMapWithoutCheck(name string) {
	fn := handlers[name]
	defer fn() // want `fn is nil when the map lookup handlers\[name\] on line 78 misses`
}

type server struct {
	name     string
	shutdown func()
}

func newServer(name string) *server { return &server{name: name} }

func (s *server) run() {
	defer s.shutdown() // want `field shutdown of server is never set in package nilfunc`
}

type embedded struct {
	server
}

func (e *embedded) run2() {
	defer e.shutdown() // want `field shutdown`
}

func ifElseOnlyOne(a bool) error {
	var finish func() error
	if a {
		finish = func() error { return nil }
	} else if os.Getenv("Y") == "" {
		return errors.New("no")
	}
	defer finish() // want `finish is nil`
	return nil
}

var onShutdown func()

func packageHook() {
	defer onShutdown() // want `package variable onShutdown is declared without a value and never assigned in package nilfunc`
}

// A goroutine's deferred call of a literal's own nil variable.
func inLiteral() {
	go func() {
		var done func()
		defer done() // want `done is nil on a path from its declaration`
	}()
}
