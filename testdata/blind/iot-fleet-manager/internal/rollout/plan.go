// Package rollout rolls firmware out to the fleet in waves, coordinated by
// a controller goroutine that can be paused, resumed and restarted from a
// checkpoint.
package rollout

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
)

// Wave is one step of a rollout.
type Wave struct {
	Name    string   `json:"name"`
	Percent int      `json:"percent"`
	Canary  bool     `json:"canary,omitempty"`
	Devices []string `json:"devices,omitempty"`
}

// Plan describes a firmware rollout.
type Plan struct {
	Version     string `json:"version"`
	Image       string `json:"image"`
	SHA256      string `json:"sha256"`
	MaxFailures int    `json:"max_failures"`
	MaxCanaries int    `json:"max_canaries"`
	Waves       []Wave `json:"waves"`
}

// LoadPlan reads a JSON plan.
func LoadPlan(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var p Plan
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("rollout: parse %s: %w", path, err)
	}
	return &p, p.Validate()
}

// Validate checks that the plan is complete and its waves add up.
func (p *Plan) Validate() error {
	if p.Version == "" || p.Image == "" {
		return errors.New("rollout: plan needs a version and an image")
	}
	if len(p.Waves) == 0 {
		return errors.New("rollout: plan has no waves")
	}
	total := 0
	for i, w := range p.Waves {
		if w.Percent <= 0 && len(w.Devices) == 0 {
			return fmt.Errorf("rollout: wave %d (%s) is empty", i, w.Name)
		}
		total += w.Percent
	}
	if total > 100 {
		return fmt.Errorf("rollout: waves cover %d%% of the fleet", total)
	}
	return nil
}

// Assign distributes devices over the waves that have no explicit device
// list, by percentage, in a stable order.
func (p *Plan) Assign(devices []string) {
	sorted := append([]string(nil), devices...)
	sort.Strings(sorted)
	next := 0
	for i := range p.Waves {
		w := &p.Waves[i]
		if len(w.Devices) > 0 {
			continue
		}
		n := len(sorted) * w.Percent / 100
		if n == 0 && w.Percent > 0 && next < len(sorted) {
			n = 1
		}
		end := min(next+n, len(sorted))
		w.Devices = sorted[next:end]
		next = end
	}
}
