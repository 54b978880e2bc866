package export

import (
	"fmt"
	"io"
	"os"
)

// ImportAll loads catalog entries from the JSON files at paths.
func (e *Exporter) ImportAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		closeFile := func() { _ = f.Close() }
		defer closeFile() // HAZ defer-in-loop
		if err := e.Catalog.ReadJSON(f); err != nil {
			return fmt.Errorf("import %s: %w", p, err)
		}
	}
	return nil
}

// ImportEach is ImportAll with every file closed before the next one is opened.
func (e *Exporter) ImportEach(paths []string) error {
	for _, p := range paths {
		importOne := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return e.Catalog.ReadJSON(f)
		}
		if err := importOne(); err != nil {
			return fmt.Errorf("import %s: %w", p, err)
		}
	}
	return nil
}

// ImportReaders loads catalog entries from rs and closes those that can be closed.
func (e *Exporter) ImportReaders(rs []io.Reader) error {
	for i, r := range rs {
		err := func() error {
			switch c := r.(type) {
			case io.Closer:
				defer c.Close()
			}
			return e.Catalog.ReadJSON(r)
		}()
		if err != nil {
			return fmt.Errorf("import reader %d: %w", i, err)
		}
	}
	return nil
}
