package segment

import (
	"encoding/json"
	"os"
)

// Location says where a record lives.
type Location struct {
	Segment string `json:"segment"`
	Record  int    `json:"record"`
}

// Index maps record keys to locations; it is persisted as JSON.
type Index struct {
	Entries map[string]Location `json:"entries"`
}

// Save writes the index to path.
func (ix *Index) Save(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	closeFn := f.Close
	defer closeFn() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(ix)
}

// SaveAtomic writes to a temporary file, checks Sync and Close on the
// success path, and renames it into place.
func (ix *Index) SaveAtomic(path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(ix); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadIndex reads an index saved by SaveAtomic.
func LoadIndex(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ix := &Index{}
	if err := json.NewDecoder(f).Decode(ix); err != nil {
		return nil, err
	}
	return ix, nil
}
