package fixture

import (
	"log"
	"os"
	"path/filepath"
)

// writeAtomic writes through a temporary file and renames it into place; the deferred RemoveAll
// removes the one temporary file when something failed before the rename: a single unlink.
func writeAtomic(dir string, data []byte) error {
	path := filepath.Join(dir, "meta.json")
	tmp := path + ".tmp"
	defer func() {
		if err := os.RemoveAll(tmp); err != nil {
			log.Print(err)
		}
	}()
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// The name of a temporary file from os.CreateTemp: one file again.
func spool(data []byte) error {
	f, err := os.CreateTemp("", "spool-")
	if err != nil {
		return err
	}
	name := f.Name()
	defer os.RemoveAll(name)
	defer f.Close()
	_, err = f.Write(data)
	return err
}

// A staging directory filled by the function: the tree's size is not bounded here.
func stageTree(dir string, files map[string][]byte) error {
	stage := filepath.Join(dir, ".stage")
	defer os.RemoveAll(stage) // want `deferred os\.RemoveAll\(stage\) deletes a whole directory tree, so stageTree cannot return until then`
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(stage, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
