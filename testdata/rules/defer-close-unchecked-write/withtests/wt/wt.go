// Package wt checks that test files are analysed when the rule's "tests" option is true.
package wt

import "os"

// Save writes data and reports the close error.
func Save(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
