package surge

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"example.com/dispatch/internal/geo"
)

// overrideFile is the on-disk format maintained by the ops tooling.
type overrideFile struct {
	Overrides []struct {
		Row        int32   `json:"row"`
		Col        int32   `json:"col"`
		Multiplier float64 `json:"multiplier"`
	} `json:"overrides"`
}

func parseOverrides(r io.Reader) (map[geo.CellID]float64, error) {
	var of overrideFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&of); err != nil {
		return nil, fmt.Errorf("surge overrides: %w", err)
	}
	out := make(map[geo.CellID]float64, len(of.Overrides))
	for _, o := range of.Overrides {
		if o.Multiplier < 1 {
			return nil, fmt.Errorf("surge overrides: cell %d/%d: multiplier %.2f < 1", o.Row, o.Col, o.Multiplier)
		}
		out[geo.CellID{Row: o.Row, Col: o.Col}] = o.Multiplier
	}
	return out, nil
}

// replaceOverrides swaps the whole override set.
func (p *Pricer) replaceOverrides(ov map[geo.CellID]float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.overrides = ov
}

// ImportOverrides replaces the overrides from an uploaded document.
func (p *Pricer) ImportOverrides(r io.Reader) (int, error) {
	ov, err := parseOverrides(r)
	if err != nil {
		return 0, err
	}
	p.replaceOverrides(ov)
	return len(ov), nil
}

// LoadOverridesFile replaces the overrides from a JSON file.
func (p *Pricer) LoadOverridesFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return p.ImportOverrides(f)
}

// WatchOverrides re-reads the override file every interval, forever.
func (p *Pricer) WatchOverrides(path string, every time.Duration) {
	for {
		f, err := os.Open(path)
		if err == nil {
			defer f.Close() // HAZ defer-in-infinite-loop
			if ov, err := parseOverrides(f); err == nil {
				p.replaceOverrides(ov)
			} else {
				p.log.Printf("surge: %v", err)
			}
		}
		time.Sleep(every)
	}
}

// WatchOverridesUntil is the stoppable watcher: each pass opens and closes
// the file inside its own function.
func (p *Pricer) WatchOverridesUntil(path string, every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := p.LoadOverridesFile(path); err != nil {
			p.log.Printf("surge: %v", err)
		}
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}

// SaveOverrides writes the current overrides atomically in the ops format.
func (p *Pricer) SaveOverrides(path string) (err error) {
	p.mu.RLock()
	var of overrideFile
	for c, m := range p.overrides {
		of.Overrides = append(of.Overrides, struct {
			Row        int32   `json:"row"`
			Col        int32   `json:"col"`
			Multiplier float64 `json:"multiplier"`
		}{c.Row, c.Col, m})
	}
	p.mu.RUnlock()

	tmp, err := os.CreateTemp(filepath.Dir(path), ".overrides-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err = json.NewEncoder(tmp).Encode(of); err != nil {
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
