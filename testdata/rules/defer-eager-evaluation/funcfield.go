package eager

import "os"

type hookSet struct {
	before func() error
	after  func()
}

// The field is given the real cleanup after the defer took the no-op.
func prepare(dir, name string) error {
	var h hookSet
	h.after = func() {}
	defer h.after() // want `defer h\.after\(\) calls the function h\.after holds at the defer statement on line \d+; h\.after is assigned again on line \d+`
	lock := dir + "/" + name + ".lock"
	if err := os.WriteFile(lock, []byte(name), 0o600); err != nil {
		return err
	}
	h.after = func() { _ = os.Remove(lock) }
	return nil
}

// Set before the defer: the deferred call has it.
func prepareSet(dir, name string) error {
	var h hookSet
	lock := dir + "/" + name + ".lock"
	h.after = func() { _ = os.Remove(lock) }
	defer h.after()
	return os.WriteFile(lock, []byte(name), 0o600)
}
