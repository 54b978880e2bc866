package workflow

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// Checkpoints stores run checkpoints as JSON files in a directory.
type Checkpoints struct {
	dir string
}

// Checkpoint is the persisted progress of a run.
type Checkpoint struct {
	store *Checkpoints
	RunID string    `json:"run_id"`
	State State     `json:"state"`
	Done  []string  `json:"done"`
	At    time.Time `json:"at"`
}

// NewCheckpoints returns a store writing into dir.
func NewCheckpoints(dir string) *Checkpoints {
	return &Checkpoints{dir: dir}
}

// Snapshot captures the current progress of r.
func (c *Checkpoints) Snapshot(r *Run) *Checkpoint {
	return &Checkpoint{store: c, RunID: r.ID, State: r.State, Done: append([]string(nil), r.Done...), At: time.Now()}
}

// Save writes the checkpoint, replacing the previous one atomically.
func (cp *Checkpoint) Save() error {
	data, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	final := filepath.Join(cp.store.dir, cp.RunID+".json")
	tmp := final + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, final)
}
