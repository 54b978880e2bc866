package registry

import (
	"fmt"
	"sync"
)

// Owners maps endpoint names to the team that owns them.
type Owners struct {
	mu    sync.RWMutex
	owner map[string]string
}

// NewOwners returns an empty owner index.
func NewOwners() *Owners {
	return &Owners{owner: make(map[string]string)}
}

// Set records who owns name.
func (o *Owners) Set(name, team string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.owner[name] = team
}

// Owner returns the team owning name, or "unowned".
func (o *Owners) Owner(name string) string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if t, ok := o.owner[name]; ok {
		return t
	}
	return "unowned"
}

// Catalog records the versions each endpoint has announced.
type Catalog struct {
	mu       sync.RWMutex
	versions map[string][]string
	owners   *Owners
}

// NewCatalog returns an empty catalog that resolves owners through owners.
func NewCatalog(owners *Owners) *Catalog {
	return &Catalog{versions: make(map[string][]string), owners: owners}
}

// Add records that name announced version.
func (c *Catalog) Add(name, version string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.versions[name] = append(c.versions[name], version)
}

// Latest returns the last version name announced.
func (c *Catalog) Latest(name string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	vs := c.versions[name]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// Describe summarises name's version history.
func (c *Catalog) Describe(name string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	vs := c.versions[name]
	if len(vs) == 0 {
		return name + ": unknown"
	}
	return fmt.Sprintf("%s: %d versions, latest %s", name, len(vs), c.Latest(name)) // HAZ lock-reentry-under-defer
}

// Summary describes name with its owner; the owner index has its own lock
// and never calls back into the catalog.
func (c *Catalog) Summary(name string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	vs := c.versions[name]
	latest := "none"
	if len(vs) > 0 {
		latest = vs[len(vs)-1]
	}
	return fmt.Sprintf("%s (owner %s): %d versions, latest %s", name, c.owners.Owner(name), len(vs), latest)
}
