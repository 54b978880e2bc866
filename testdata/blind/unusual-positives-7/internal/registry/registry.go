// Package registry maps codec names and aliases to the codecs that encode
// mirror metadata.
package registry

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Codec encodes and decodes mirror metadata.
type Codec interface {
	Name() string
	Encode(w io.Writer, v any) error
	Decode(r io.Reader, v any) error
}

// Registry is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	codecs  map[string]Codec
	aliases map[string]string

	// Fallback, when set, builds codecs that were not registered up front.
	Fallback func(name string) (Codec, bool)
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{codecs: make(map[string]Codec), aliases: make(map[string]string)}
}

// Register adds c; names are unique.
func (r *Registry) Register(c Codec) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.codecs[c.Name()]; dup {
		return fmt.Errorf("codec %q registered twice", c.Name())
	}
	r.codecs[c.Name()] = c
	return nil
}

// Alias makes alias resolve to the registered codec target.
func (r *Registry) Alias(alias, target string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.codecs[r.resolveLocked(target)]; !ok {
		return fmt.Errorf("alias %q: unknown codec %q", alias, target)
	}
	r.aliases[alias] = target
	return nil
}

// resolveLocked follows aliases; the caller holds r.mu in either mode.
func (r *Registry) resolveLocked(name string) string {
	for i := 0; i < 8; i++ {
		target, ok := r.aliases[name]
		if !ok {
			break
		}
		name = target
	}
	return name
}

// Lookup returns the codec for name, asking Fallback on a miss.
func (r *Registry) Lookup(name string) (Codec, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	name = r.resolveLocked(name)
	if c, ok := r.codecs[name]; ok {
		return c, nil
	}
	if r.Fallback == nil {
		return nil, fmt.Errorf("unknown codec %q", name)
	}
	c, ok := r.Fallback(name)
	if !ok {
		return nil, fmt.Errorf("unknown codec %q", name)
	}
	if err := r.adopt(name, c); err != nil { // HAZ lock-reentry-under-defer
		return nil, err
	}
	return c, nil
}

// adopt registers a codec built by Fallback after checking its name.
func (r *Registry) adopt(name string, c Codec) error {
	if !strings.EqualFold(c.Name(), name) {
		return fmt.Errorf("fallback built %q for %q", c.Name(), name)
	}
	return r.Register(c)
}

// Resolve is Lookup with the read-locked section confined to a helper, so
// the fallback registration happens with no lock held.
func (r *Registry) Resolve(name string) (Codec, error) {
	if c, ok := r.cached(name); ok {
		return c, nil
	}
	if r.Fallback == nil {
		return nil, fmt.Errorf("unknown codec %q", name)
	}
	c, ok := r.Fallback(name)
	if !ok {
		return nil, fmt.Errorf("unknown codec %q", name)
	}
	if err := r.adopt(name, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (r *Registry) cached(name string) (Codec, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.codecs[r.resolveLocked(name)]
	return c, ok
}

// Names lists registered codec names in order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.codecs))
	for n := range r.codecs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
