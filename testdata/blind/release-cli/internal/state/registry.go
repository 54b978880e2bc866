// Package state tracks the artifacts produced during one release run.
package state

import (
	"fmt"
	"sort"
	"sync"
)

// Artifact is one file produced by the release.
type Artifact struct {
	Name      string
	Path      string
	OS        string
	Arch      string
	Format    string
	SHA256    string
	Size      int64
	Signature string
	URL       string
	Signed    bool
	Uploaded  bool
}

// Registry is a concurrency-safe set of artifacts keyed by name.
type Registry struct {
	mu        sync.RWMutex
	artifacts map[string]*Artifact
	order     []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{artifacts: make(map[string]*Artifact)}
}

// locked acquires the write lock and returns the function releasing it.
func (r *Registry) locked() func() {
	r.mu.Lock()
	return r.mu.Unlock
}

// Add registers a new artifact; names must be unique.
func (r *Registry) Add(a Artifact) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.artifacts[a.Name]; dup {
		return fmt.Errorf("state: artifact %q registered twice", a.Name)
	}
	cp := a
	r.artifacts[a.Name] = &cp
	r.order = append(r.order, a.Name)
	return nil
}

// Remove drops an artifact, reporting whether it was present.
func (r *Registry) Remove(name string) bool {
	defer r.locked()()
	if _, ok := r.artifacts[name]; !ok {
		return false
	}
	delete(r.artifacts, name)
	for i, n := range r.order {
		if n == name {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
	return true
}

// Get returns a copy of the named artifact.
func (r *Registry) Get(name string) (Artifact, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.artifacts[name]
	if !ok {
		return Artifact{}, false
	}
	return *a, true
}

// Len returns the number of registered artifacts.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.order)
}

// SetChecksum records the digest and size computed for an artifact.
func (r *Registry) SetChecksum(name, sum string, size int64) error {
	r.mu.Lock()
	a, ok := r.artifacts[name]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("state: unknown artifact %q", name)
	}
	a.SHA256 = sum
	a.Size = size
	r.mu.Unlock()
	return nil
}

// MarkSigned records the detached signature of an artifact.
func (r *Registry) MarkSigned(name, sigPath string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	a, ok := r.artifacts[name]
	if !ok {
		return fmt.Errorf("state: cannot mark %q signed: unknown artifact", name)
	}
	a.Signed = true
	a.Signature = sigPath
	r.mu.Unlock()
	return nil
}

// MarkUploaded records the public URL of an artifact.
func (r *Registry) MarkUploaded(name, url string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.artifacts[name]
	if !ok {
		return fmt.Errorf("state: cannot mark %q uploaded: unknown artifact", name)
	}
	a.Uploaded = true
	a.URL = url
	return nil
}

// MarkAllUploaded marks a batch of artifacts as uploaded under one base URL.
func (r *Registry) MarkAllUploaded(base string, names []string) {
	for _, n := range names {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		if a, ok := r.artifacts[n]; ok {
			a.Uploaded = true
			a.URL = base + "/" + n
		}
	}
}

// Snapshot returns copies of all artifacts in registration order.
func (r *Registry) Snapshot() []Artifact {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.listLocked()
}

// listLocked copies the artifacts; the caller holds r.mu.
func (r *Registry) listLocked() []Artifact {
	out := make([]Artifact, 0, len(r.order))
	for _, n := range r.order {
		out = append(out, *r.artifacts[n])
	}
	return out
}

// Pending returns the artifacts that still have to be uploaded.
func (r *Registry) Pending() []Artifact {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Artifact
	for _, a := range r.listLocked() {
		if !a.Uploaded {
			out = append(out, a)
		}
	}
	return out
}

// Unsigned returns the sorted names of artifacts without a signature.
func (r *Registry) Unsigned() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var names []string
	for _, a := range r.Snapshot() { // HAZ lock-reentry-under-defer
		if !a.Signed {
			names = append(names, a.Name)
		}
	}
	sort.Strings(names)
	return names
}

// ByPlatform groups artifact names by "os/arch".
func (r *Registry) ByPlatform() map[string][]string {
	snap := r.Snapshot()
	out := make(map[string][]string)
	for _, a := range snap {
		key := a.OS + "/" + a.Arch
		out[key] = append(out[key], a.Name)
	}
	return out
}

// Reset forgets all artifacts, for the next run of the watch mode.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	r.artifacts = make(map[string]*Artifact)
	r.order = nil
}
