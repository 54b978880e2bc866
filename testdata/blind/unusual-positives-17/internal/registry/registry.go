// Package registry keeps the codecs the ingest daemon understands and its
// lazily loaded configuration.
package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// Codec decodes one wire format into generic records.
type Codec interface {
	Name() string
	Decode(data []byte) ([]map[string]any, error)
}

type jsonLines struct{}

func (jsonLines) Name() string { return "jsonl" }

func (jsonLines) Decode(data []byte) ([]map[string]any, error) {
	var out []map[string]any
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// Registry maps codec names to codecs. The built-in codecs are installed on
// first use.
type Registry struct {
	mu     sync.Mutex
	once   sync.Once
	codecs map[string]Codec
}

// loadDefaults installs the built-in codecs exactly once.
func (r *Registry) loadDefaults() {
	r.once.Do(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.codecs == nil {
			r.codecs = make(map[string]Codec)
		}
		r.codecs["jsonl"] = jsonLines{}
	})
}

// Lookup returns the codec registered under name.
func (r *Registry) Lookup(name string) (Codec, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loadDefaults() // HAZ lock-reentry-under-defer
	c, ok := r.codecs[name]
	if !ok {
		return nil, fmt.Errorf("registry: no codec %q", name)
	}
	return c, nil
}

// Register adds a codec. The defaults are installed before the lock is
// taken, so the Once callback never runs under r.mu.
func (r *Registry) Register(c Codec) error {
	r.loadDefaults()
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.codecs[c.Name()]; dup {
		return fmt.Errorf("registry: codec %q already registered", c.Name())
	}
	r.codecs[c.Name()] = c
	return nil
}

// Names lists the registered codecs in order.
func (r *Registry) Names() []string {
	r.loadDefaults()
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.codecs))
	for n := range r.codecs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
