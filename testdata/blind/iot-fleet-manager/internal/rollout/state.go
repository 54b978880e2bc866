package rollout

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// State is the persisted progress of a rollout.
type State struct {
	Version string            `json:"version"`
	Wave    int               `json:"wave"`
	Done    map[string]bool   `json:"done"`
	Failed  map[string]string `json:"failed"`
}

func newState(version string) State {
	return State{Version: version, Done: make(map[string]bool), Failed: make(map[string]string)}
}

func (s *State) clone() *State {
	c := newState(s.Version)
	c.Wave = s.Wave
	for k, v := range s.Done {
		c.Done[k] = v
	}
	for k, v := range s.Failed {
		c.Failed[k] = v
	}
	return &c
}

// Save writes the state to path atomically: a temporary file in the same
// directory is written, synced, closed and renamed over path.
func (s *State) Save(path string) (err error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rollout-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadState reads a state written by Save.
func LoadState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	st := newState("")
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, err
	}
	if st.Done == nil {
		st.Done = make(map[string]bool)
	}
	if st.Failed == nil {
		st.Failed = make(map[string]string)
	}
	return &st, nil
}
