package main

import (
	"encoding/json"
	"log"
	"os"
)

// checkpoint is how far a replay got in which file.
type checkpoint struct {
	File   string `json:"file"`
	Offset int64  `json:"offset"`
}

// loadCheckpoint reads the checkpoint file.
func loadCheckpoint(path string) (checkpoint, error) {
	var cp checkpoint
	f, err := os.Open(path)
	if err != nil {
		return cp, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&cp)
	return cp, err
}

// progress is saved when a file's replay ends, however it ends.
type progress struct {
	statePath string
	cp        checkpoint
}

// save writes the checkpoint through a temporary file and a rename, and logs
// failures: a lost checkpoint only costs a re-send.
func (p *progress) save() {
	raw, err := json.Marshal(p.cp)
	if err != nil {
		log.Printf("replay: checkpoint: %v", err)
		return
	}
	tmp := p.statePath + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		log.Printf("replay: checkpoint: %v", err)
		return
	}
	if err := os.Rename(tmp, p.statePath); err != nil {
		log.Printf("replay: checkpoint: %v", err)
	}
}
