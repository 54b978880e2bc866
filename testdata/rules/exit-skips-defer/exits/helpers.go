package exits

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/sirupsen/logrus"
)

// Exits through chains of same-package helpers that always end the process.

func die(msg string) {
	fatalf("fatal: %s", msg)
}

func chainOfTwo() {
	defer cleanup()
	die("no input") // want `die → fatalf → os\.Exit ends the process here in chainOfTwo while the deferred cleanup\(\) \(line 20\) is pending`
}

type app struct {
	out *bufio.Writer
}

func (a *app) fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func (a *app) run() {
	defer a.out.Flush()
	if err := a.step(); err != nil {
		a.fail(err) // want `\(\*app\)\.fail → os\.Exit ends the process here in app\.run while the deferred a\.out\.Flush\(\)`
	}
}

func (a *app) step() error { return errors.New("x") }

// Every branch of the helper exits.
func exitWith(code int) {
	if code == 0 {
		os.Exit(0)
	}
	os.Exit(code)
}

func branchesAllExit() {
	defer cleanup()
	exitWith(3) // want `exitWith → os\.Exit ends the process`
}

func fatalByKind(kind string) {
	switch kind {
	case "config":
		log.Fatal("bad config")
	default:
		log.Fatalf("bad %s", kind)
	}
}

func switchHelper() {
	defer cleanup()
	fatalByKind("x") // want `fatalByKind → log\.Fatal ends the process`
}

// A helper that ends in a third-party logger's Fatal.
func mustNot(err error) {
	logrus.Fatal(err)
}

func viaLoggerHelper() {
	defer cleanup()
	mustNot(errors.New("x")) // want `mustNot → github\.com/sirupsen/logrus\.Fatal ends the process`
}

// A helper whose loop never ends except by exiting.
func waitForever(ch chan int) {
	for {
		if v := <-ch; v < 0 {
			os.Exit(v)
		}
	}
}

func endlessHelper(ch chan int) {
	defer cleanup()
	waitForever(ch) // want `waitForever → os\.Exit ends the process`
}

// A local func variable bound once to a literal that always exits.
func localFatal(args []string) {
	fatal := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer cleanup()
	if len(args) == 0 {
		fatal(errors.New("no args")) // want `fatal \(the function literal on line 95\) → os\.Exit ends the process here in localFatal`
	}
}

func localFatalViaHelper() {
	fail := func() { die("x") }
	defer cleanup()
	fail() // want `fail \(the function literal on line 106\) → die → fatalf → os\.Exit ends the process`
}

// Not exits: helpers that may return (called with a constant argument), panic, or are not called.

func exitUnlessOK(err error) {
	if err == nil {
		return
	}
	os.Exit(1)
}

func mayReturn() {
	defer cleanup()
	exitUnlessOK(nil)
}

func panicky(msg string) {
	panic(msg)
}

func helperPanics() {
	defer cleanup()
	panicky("boom")
}

func helperAsValue() func(string, ...any) {
	defer cleanup()
	return fatalf
}

func helperBeforeDefer(ok bool) {
	if !ok {
		die("not ok")
	}
	defer cleanup()
}

func helperInGoroutine() {
	defer cleanup()
	go die("background")
}

func helperDeferred() {
	defer cleanup()
	defer die("at exit")
}

func recursiveMayReturn(n int) {
	if n > 0 {
		recursiveMayReturn(n - 1)
		return
	}
	os.Exit(1)
}

func callsRecursive() {
	defer cleanup()
	recursiveMayReturn(2)
}

func helperInLiteral() {
	defer cleanup()
	f := func() { die("later") }
	_ = f
}

func localReassigned(quiet bool) {
	fatal := func() { os.Exit(1) }
	if quiet {
		fatal = func() {}
	}
	defer cleanup()
	fatal()
}

func localMayReturn(err error) {
	check := func() {
		if err != nil {
			os.Exit(1)
		}
	}
	defer cleanup()
	check()
}

// Only a file close is pending: the kernel closes the descriptor at exit and nothing is buffered,
// so it is reported with low confidence and says so.
func onlyFileClose(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	if _, err := f.WriteString("x"); err != nil {
		die(err.Error()) // want `while the deferred f\.Close\(\) \(line 201\) is pending, so it never runs; here that loses nothing yet \(the kernel closes the descriptor when the process ends\)`
	}
}
