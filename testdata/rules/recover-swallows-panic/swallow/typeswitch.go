package swallow

import (
	"errors"
	"fmt"
)

type parseError struct{ msg string }

func (e parseError) Error() string { return e.msg }

func parseOrPanic(s string) int {
	if s == "" {
		panic(parseError{"empty input"})
	}
	return len(s)
}

// Only parse errors are turned into the error result; any other panic (an index out of range
// in the parser) is stopped by the empty default and the function returns as if it succeeded.
func parseDefault(s string) (n int, err error) {
	defer func() {
		switch e := recover().(type) { // want `switches on the type of recover\(\) and handles only parseError; its default case is empty or missing`
		case nil:
		case parseError:
			n, err = 0, e
		default:
		}
	}()
	return parseOrPanic(s), nil
}

// No default at all: the same.
func parseNoDefault(s string) (n int, err error) {
	defer func() {
		switch e := recover().(type) { // want `handles only parseError, error; its default case is empty or missing`
		case parseError:
			n, err = 0, e
		case error:
			n, err = 0, fmt.Errorf("parse: %w", e)
		}
	}()
	return parseOrPanic(s), nil
}

// The default re-panics: every other panic goes on.
func parseRepanic(s string) (n int, err error) {
	defer func() {
		switch e := recover().(type) {
		case nil:
		case parseError:
			n, err = 0, e
		default:
			panic(e)
		}
	}()
	return parseOrPanic(s), nil
}

// A case for any value: every panic becomes the error.
func parseAny(s string) (n int, err error) {
	defer func() {
		switch e := recover().(type) {
		case nil:
		case parseError:
			n, err = 0, e
		case any:
			n, err = 0, errors.New(fmt.Sprint(e))
		}
	}()
	return parseOrPanic(s), nil
}
