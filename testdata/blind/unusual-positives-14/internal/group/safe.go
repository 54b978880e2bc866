package group

import "fmt"

// Safe calls fn and turns a panic into an error.
func Safe[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("group: recovered: %v", r)
			}
		}
		report()
	}()
	return fn()
}

// Protect calls fn and turns a panic into an error naming the task.
func Protect(name string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("group: %s panicked: %v", name, r)
		}
	}()
	return fn()
}
