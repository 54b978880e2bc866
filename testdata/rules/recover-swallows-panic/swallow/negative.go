package swallow

import (
	"errors"
	"fmt"
	"log"
	"os"
)

func logged() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("panic: %v", r)
		}
	}()
}

func toError() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return nil
}

func repanic() {
	defer func() {
		if r := recover(); r != nil {
			panic(r)
		}
	}()
}

func flag() (ok bool) {
	ok = true
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return
}

func passed() {
	defer func() {
		report(recover())
	}()
}

func report(v any) {
	if v != nil {
		fmt.Fprintln(os.Stderr, v)
	}
}

func switched() (err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case error:
			err = r
		default:
			err = errors.New("panic")
		}
	}()
	return nil
}

func nilThenUse() {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		log.Println(r)
	}()
}

// Not deferred: recover-ineffective's finding, not this rule's.
func notDeferred() {
	func() {
		recover()
	}()
}

// defer recover() is recover-ineffective's finding.
func deferRecover() {
	defer recover()
}

func exitsOnPanic() {
	defer func() {
		if r := recover(); r != nil {
			os.Exit(2)
		}
	}()
}

// The value goes to a named result of the enclosing function.
func toResult() (panicVal any) {
	defer func() {
		panicVal = recover()
	}()
	return nil
}
