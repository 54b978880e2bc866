package ineffective

import (
	"errors"
	"fmt"
	"os"
)

func returnInDeferredLiteral(f *os.File) error {
	defer func() error {
		return f.Close() // want `return f.Close\(\) in the deferred function literal on line 10 goes nowhere.*give returnInDeferredLiteral named results`
	}()
	return nil
}

func returnWithNamedResult(f *os.File) (err error) {
	defer func() error {
		if cerr := f.Close(); cerr != nil {
			return cerr // want `return cerr in the deferred function literal on line 17 goes nowhere.*assign to returnWithNamedResult's named result \(err\) instead`
		}
		return nil // only the first return of the literal is reported
	}()
	return nil
}

func recoverIntoLocal() error {
	var err error
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r) // want `assigns err = fmt.Errorf\("recovered: %v", r\), but err is a local variable of recoverIntoLocal, not a named result.*this error is lost`
		}
	}()
	work()
	return err
}

func closeIntoLocal(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer func() {
		err = errors.Join(err, f.Close()) // want `err is a local variable of closeIntoLocal`
	}()
	return 1, err
}

func closeIntoParam(f *os.File, err error) error {
	defer func() {
		err = f.Close() // want `err is a parameter of closeIntoParam`
	}()
	return err
}

func noResults(f *os.File) {
	var err error
	defer func() {
		err = f.Close() // want `noResults returns nothing, so handle the error inside the deferred function`
	}()
	_ = err
}

func work() {}

// The close error is stored only when there is no earlier error, but err is a local: the return
// has already copied it, so the assignment is lost either way.
func writeGuarded(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr // want `the deferred function literal assigns err = cerr, but err is a local variable of writeGuarded, not a named result`
		}
	}()
	_, err = f.Write(data)
	return err
}

type rowsCloser interface{ Close() error }

// The literal's own named result takes the error, and a deferred call's results are discarded.
func closeRows(rows rowsCloser) error {
	defer func() (err error) {
		err = rows.Close() // want `the deferred function literal assigns err = rows\.Close\(\), but err is the literal's own named result`
		return
	}()
	return nil
}

// The literal turns a panic into err and logs it, but the function returns err to its caller:
// after a panic the caller gets the value from before it, nil.
func dryRun(run func() error) error {
	var err error
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("dry run panicked: %v", p) // want `the deferred function literal assigns err = fmt\.Errorf\("dry run panicked: %v", p\), but err is a local variable of dryRun`
			fmt.Println(err)
		}
	}()
	err = run()
	return err
}
