package ineffective

import (
	"errors"
	"fmt"
	"log"
	"os"
)

func namedResult(f *os.File) (err error) {
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	return nil
}

func recoverIntoNamed() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	work()
	return nil
}

func redeclaredNamedResultAtTop(name string) (n int, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	return 1, nil
}

func usedInsideLiteral(f *os.File) error {
	var err error
	defer func() {
		err = f.Close()
		if err != nil {
			log.Print(err)
		}
	}()
	return err
}

func ownVariable(f *os.File) {
	defer func() {
		err := f.Close()
		if err != nil {
			log.Print(err)
		}
	}()
}

func readByEarlierDefer(f *os.File) {
	var err error
	defer func() {
		log.Print(err)
	}()
	defer func() {
		err = f.Close()
	}()
}

func addressTaken(f *os.File) error {
	var err error
	report(&err)
	defer func() {
		err = f.Close()
	}()
	return nil
}

func report(p *error) {}

func outerVariable(f *os.File) (err error) {
	func() {
		defer func() {
			err = f.Close()
		}()
	}()
	return err
}

func returnInNestedLiteral(xs []int) {
	defer func() {
		sum := func() int { return len(xs) }
		fmt.Println(sum())
	}()
}

func bareReturn(f *os.File) {
	defer func() {
		if f == nil {
			return
		}
		f.Close()
	}()
}

func nonErrorLocal() int {
	count := 0
	defer func() {
		count = 2
	}()
	return count
}

func deferredNamedFunc(f *os.File) error {
	defer f.Close()
	return nil
}

var dial = func() {}

// A deferred literal returning a func is defer-func-result-not-called's finding.
func literalReturningFunc() {
	defer func() func() {
		saved := dial
		dial = func() {}
		return func() { dial = saved }
	}()
}

// The literal hands the error on (to the release call, then to a re-panic): nothing is lost on
// the way back to the caller.
func withConnRepanic(release func(error), fn func() error) error {
	var fnErr error
	defer func() {
		if r := recover(); r != nil {
			fnErr = fmt.Errorf("panic: %v", r)
			release(fnErr)
			panic(r)
		}
		release(fnErr)
	}()
	fnErr = fn()
	return fnErr
}

// Copied into the named result: the caller sees it through retErr.
func processTask(run func() error) (retErr error) {
	var taskErr error
	defer func() {
		if p := recover(); p != nil {
			taskErr = fmt.Errorf("task panicked: %v", p)
			retErr = taskErr
		}
	}()
	taskErr = run()
	return taskErr
}
