package obs

import "fmt"

// Guard runs fn and converts a panic into an error.
func Guard(name string, fn func()) (err error) {
	fn()
	if r := recover(); r != nil { // HAZ recover-ineffective
		err = fmt.Errorf("%s: panic: %v", name, r)
	}
	return err
}

// Protect runs fn and converts a panic into an error.
func Protect(name string, fn func()) (err error) {
	defer RecoverError(&err, name)
	fn()
	return nil
}
