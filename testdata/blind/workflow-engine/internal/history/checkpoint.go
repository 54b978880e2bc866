package history

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Checkpoint records how far recovery has already replayed the log, so that a
// restart can skip segments whose effects are reflected in the state store.
type Checkpoint struct {
	Seq      uint64    `json:"seq"`
	Segments []string  `json:"segments"`
	Written  time.Time `json:"written"`
}

// WriteCheckpoint stores cp at path, replacing any previous checkpoint.
func WriteCheckpoint(path string, cp Checkpoint) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("history: open checkpoint: %w", err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	if cp.Written.IsZero() {
		cp.Written = time.Now().UTC()
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cp); err != nil {
		return fmt.Errorf("history: write checkpoint: %w", err)
	}
	return nil
}
