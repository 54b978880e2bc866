package fixture

import (
	"os"
	"path/filepath"
)

// A directory made step by step is removed again only when a later step fails: a rollback on the
// failure path, not cleanup every call waits for.
func createVolume(root, name string) (path string, err error) {
	path = filepath.Join(root, name)
	if err = makeOwnedDir(path); err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(path)
		}
	}()
	err = os.WriteFile(filepath.Join(path, "meta"), []byte(name), 0o600)
	return path, err
}

func makeOwnedDir(p string) error { return os.Mkdir(p, 0o710) }

type layerStore struct{ root string }

func (ls *layerStore) deleteLayer(id string) error {
	return os.RemoveAll(filepath.Join(ls.root, id))
}

// The same through a helper of the package.
func (ls *layerStore) register(id string) (retErr error) {
	defer func() {
		if retErr != nil {
			ls.deleteLayer(id)
		}
	}()
	return os.WriteFile(filepath.Join(ls.root, id, "diff"), nil, 0o600)
}

// The same when the failure test is one side of a conjunction.
func (ls *layerStore) registerOnce(id string) (retErr error) {
	var cleanupErr error
	defer func() {
		if retErr != nil && cleanupErr == nil {
			cleanupErr = ls.deleteLayer(id)
		}
	}()
	return os.WriteFile(filepath.Join(ls.root, id, "diff"), nil, 0o600)
}

// Removing the tree on every return is still reported.
func (ls *layerStore) scratch(id string) error {
	defer func() { // want `os\.RemoveAll\(filepath\.Join\(ls\.root, id\)\) \(line 29\) deletes a whole directory tree`
		ls.deleteLayer(id)
	}()
	return os.WriteFile(filepath.Join(ls.root, id, "tmp"), nil, 0o600)
}
