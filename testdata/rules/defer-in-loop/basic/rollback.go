package fixture

import (
	"fmt"
	"os"
)

type endpoint struct{ name string }

func (e *endpoint) rename(to string) error {
	if to == "" {
		return fmt.Errorf("empty name")
	}
	e.name = to
	return nil
}

// Each iteration registers the undo of its own rename, run at exit only when the function fails:
// the guard returns first on success, so nothing is held or repeated per iteration.
func renameAll(eps []*endpoint, to string) (retErr error) {
	for _, ep := range eps {
		old := ep.name
		if err := ep.rename(to); err != nil {
			return err
		}
		defer func() {
			if retErr == nil {
				return
			}
			_ = ep.rename(old)
		}()
	}
	return nil
}

// The same with an error variable declared before the loop and returned at the end: the literal
// reads its value at exit.
func renameAllBreak(eps []*endpoint, to string) error {
	var err error
	for _, ep := range eps {
		old := ep.name
		if err = ep.rename(to); err != nil {
			break
		}
		defer func() {
			if err != nil {
				_ = ep.rename(old)
			}
		}()
	}
	return err
}

// An error declared inside the loop: the literal sees only that iteration's value, which is nil
// once the write succeeded, while each iteration's file stays open until the function returns.
func createEach(names []string, data []byte) error {
	for _, name := range names {
		f, err := os.Create(name)
		if err != nil {
			return err
		}
		defer func() { // want `the deferred func\(\) \{\.\.\.\}\(\) runs only when createEach returns`
			if err != nil {
				_ = os.Remove(name)
			}
			_ = f.Close()
		}()
		if _, err = f.Write(data); err != nil {
			return err
		}
	}
	return nil
}
