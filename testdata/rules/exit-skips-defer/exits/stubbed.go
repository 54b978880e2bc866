package exits

import (
	"log"
	"os"

	"github.com/sirupsen/logrus"
)

// What tests use to observe an exit without ending the process.

type exitStub struct {
	code   int
	exited bool
	prev   func(int)
}

var processExit = os.Exit

func stubProcessExit() *exitStub {
	s := &exitStub{prev: processExit}
	processExit = func(code int) { s.code, s.exited = code, true }
	return s
}

func (s *exitStub) Unstub() { processExit = s.prev }

func patch(target, replacement any) func() { return func() {} }

func newStubServer() *exitStub { return &exitStub{} }

// A stub helper replaced the exit first: the Fatal returns and the deferred Unstub runs.
func stubbedFatal() bool {
	stub := stubProcessExit()
	defer stub.Unstub()
	log.Fatal("checked by the stub")
	return stub.exited
}

// The exit function handed to a patcher.
func patchedExit() {
	undo := patch(os.Exit, func(int) {})
	defer undo()
	os.Exit(3)
}

// An exit hook replaced with a function.
func hookedLogger() {
	l := logrus.New()
	l.ExitFunc = func(int) {}
	defer cleanup()
	l.Fatalf("recorded, not exited")
}

// An exit code is no exit hook: the exit is real.
func exitCodeOnly() {
	code := 0
	defer cleanup()
	code = 2
	os.Exit(code) // want `os\.Exit ends the process here in exitCodeOnly while the deferred cleanup\(\) \(line 58\) is pending`
}

// A stub of something else (a server) does not stub the exit.
func stubServerOnly() {
	srv := newStubServer()
	defer srv.Unstub()
	log.Fatal("real exit") // want `log\.Fatal ends the process here in stubServerOnly while the deferred srv\.Unstub\(\) \(line 66\) is pending`
}

// Restoring the real exit hook is no stub.
func restoredHook() {
	l := logrus.New()
	l.ExitFunc = os.Exit
	defer cleanup()
	l.Fatalf("real exit") // want `ends the process here in restoredHook while the deferred cleanup\(\) \(line 74\) is pending`
}

// A stub installed only after the exit changes nothing for it.
func stubTooLate() {
	defer cleanup()
	log.Fatal("real exit") // want `log\.Fatal ends the process here in stubTooLate while the deferred cleanup\(\) \(line 80\) is pending`
	stubProcessExit()
}
