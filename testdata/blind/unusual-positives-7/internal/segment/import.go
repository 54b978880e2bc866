package segment

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// Import appends every line of src to w; src is a path or an open reader
// owned by the caller.
func Import(w *Writer, src any) error {
	var r io.Reader
	var cleanup func()
	switch s := src.(type) {
	case string:
		f, err := os.Open(s)
		if err != nil {
			return err
		}
		r, cleanup = f, func() { f.Close() }
	case io.Reader:
		r = s
	default:
		return fmt.Errorf("import: unsupported source %T", src)
	}
	defer cleanup() // HAZ defer-nil-func
	return appendLines(w, r)
}

// ImportFrom is Import with the cleanup starting as a no-op, so every
// branch of the type switch leaves something callable.
func ImportFrom(w *Writer, src any) error {
	var r io.Reader
	cleanup := func() {}
	switch s := src.(type) {
	case string:
		f, err := os.Open(s)
		if err != nil {
			return err
		}
		r, cleanup = f, func() { f.Close() }
	case io.Reader:
		r = s
	default:
		return fmt.Errorf("import: unsupported source %T", src)
	}
	defer cleanup()
	return appendLines(w, r)
}

func appendLines(w *Writer, r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if err := w.Append([]byte(sc.Text())); err != nil {
			return err
		}
	}
	return sc.Err()
}
