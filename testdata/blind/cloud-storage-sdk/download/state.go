package download

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"time"

	"example.com/cloudstoragesdk/internal/atomicfile"
	"example.com/cloudstoragesdk/storage"
)

// State is the checkpoint of a resumable download.
type State struct {
	Key     string    `json:"key"`
	ETag    string    `json:"etag"`
	Size    int64     `json:"size"`
	Offset  int64     `json:"offset"`
	Updated time.Time `json:"updated"`
}

// statePathFor returns where the checkpoint of dst lives.
func statePathFor(dst string) string { return dst + ".state" }

// partialPathFor returns where the partial content of dst lives.
func partialPathFor(dst string) string { return dst + ".part" }

// LoadState reads a checkpoint; a missing file yields (nil, nil).
func LoadState(path string) (*State, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var s State
	if err := json.NewDecoder(f).Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Persist writes the checkpoint atomically.
func (s *State) Persist(path string) error {
	s.Updated = time.Now()
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, 0o644)
}

// Matches reports whether the checkpoint belongs to the object described by info.
func (s *State) Matches(info storage.ObjectInfo) bool {
	return s != nil && s.Key == info.Key && s.ETag == info.ETag && s.Size == info.Size
}
