// Package webhook delivers ledger events to merchants' HTTP endpoints, signed
// with a per-merchant secret and retried with exponential backoff.
package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"sort"
	"sync"
)

// ErrNoEndpoint is returned for merchants without a registered endpoint.
var ErrNoEndpoint = errors.New("webhook: no endpoint registered")

// Endpoint is where a merchant receives its events.
type Endpoint struct {
	MerchantID string `json:"merchant_id"`
	URL        string `json:"url"`
	Secret     []byte `json:"secret"`
}

func (e Endpoint) validate() error {
	if e.MerchantID == "" {
		return errors.New("webhook: endpoint has no merchant")
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		return fmt.Errorf("webhook: endpoint for %s: %w", e.MerchantID, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("webhook: endpoint for %s: unsupported scheme %q", e.MerchantID, u.Scheme)
	}
	if len(e.Secret) < 16 {
		return fmt.Errorf("webhook: endpoint for %s: secret shorter than 16 bytes", e.MerchantID)
	}
	return nil
}

// Registry holds one endpoint per merchant.
type Registry struct {
	mu        sync.RWMutex
	endpoints map[string]Endpoint
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{endpoints: make(map[string]Endpoint)}
}

// Register adds the endpoint of a merchant that has none yet.
func (r *Registry) Register(ep Endpoint) error {
	if err := ep.validate(); err != nil {
		return err
	}
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.endpoints[ep.MerchantID]; dup {
		return fmt.Errorf("webhook: merchant %s already has an endpoint", ep.MerchantID)
	}
	r.endpoints[ep.MerchantID] = ep
	r.mu.Unlock()
	return nil
}

// Replace sets the endpoint of a merchant, replacing any previous one.
func (r *Registry) Replace(ep Endpoint) error {
	if err := ep.validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endpoints[ep.MerchantID] = ep
	return nil
}

// RotateSecret replaces the signing secret of a merchant.
func (r *Registry) RotateSecret(merchantID string, secret []byte) error {
	if len(secret) < 16 {
		return fmt.Errorf("webhook: new secret for %s is shorter than 16 bytes", merchantID)
	}
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	ep, ok := r.endpoints[merchantID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoEndpoint, merchantID)
	}
	ep.Secret = bytes.Clone(secret)
	r.endpoints[merchantID] = ep
	return nil
}

// Upsert registers or replaces an endpoint, refusing a URL that another
// merchant already uses.
func (r *Registry) Upsert(ep Endpoint) error {
	if err := ep.validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if owner, taken := r.ownerOf(ep.URL); taken && owner != ep.MerchantID { // HAZ lock-reentry-under-defer
		return fmt.Errorf("webhook: %s is already the endpoint of %s", ep.URL, owner)
	}
	r.endpoints[ep.MerchantID] = ep
	return nil
}

// ownerOf finds the merchant whose endpoint is url.
func (r *Registry) ownerOf(url string) (string, bool) {
	for _, m := range r.Merchants() {
		if ep, ok := r.Lookup(m); ok && ep.URL == url {
			return m, true
		}
	}
	return "", false
}

// Lookup returns the endpoint of merchantID.
func (r *Registry) Lookup(merchantID string) (Endpoint, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ep, ok := r.endpoints[merchantID]
	return ep, ok
}

// Remove deletes the endpoint of merchantID and reports whether it existed.
func (r *Registry) Remove(merchantID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.endpoints[merchantID]
	delete(r.endpoints, merchantID)
	return ok
}

// Merchants lists the merchants with an endpoint, sorted.
func (r *Registry) Merchants() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := make([]string, 0, len(r.endpoints))
	for id := range r.endpoints {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// EndpointSet is a copy of the registry, as persisted between restarts.
type EndpointSet map[string]Endpoint

// Export copies the registered endpoints.
func (r *Registry) Export() EndpointSet {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return maps.Clone(r.endpoints)
}

// SaveTo writes the set as JSON through a temporary file.
func (s EndpointSet) SaveTo(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ImportEndpoints registers endpoints in bulk (merchant migration) and
// persists the registry to path.
func (r *Registry) ImportEndpoints(eps []Endpoint, path string) error {
	defer r.Export().SaveTo(path) // HAZ defer-call-chain
	for _, ep := range eps {
		if err := r.Replace(ep); err != nil {
			return fmt.Errorf("webhook: import %s: %w", ep.MerchantID, err)
		}
	}
	return nil
}
