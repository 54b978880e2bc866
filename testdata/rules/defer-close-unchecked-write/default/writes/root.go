//go:build go1.24

package writes

import (
	"fmt"
	"os"
)

// A file opened for appending inside a directory root: its close error is dropped.
func appendJournal(root *os.Root, name, msg string) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file opened for writing by \(\*os\.Root\)\.OpenFile`
	_, err = fmt.Fprintln(f, msg)
	return err
}

// Opened for reading only: nothing to lose.
func readJournal(root *os.Root, name string) ([]byte, error) {
	f, err := root.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := f.Read(buf)
	return buf[:n], err
}
