// Package fsx holds file helpers the writes package uses.
package fsx

import (
	"os"
	"path/filepath"
)

// CreateIn creates (or truncates) name inside dir, creating dir if needed.
func CreateIn(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(dir, name))
}

// OpenIn opens name inside dir for reading.
func OpenIn(dir, name string) (*os.File, error) {
	return os.Open(filepath.Join(dir, name))
}
