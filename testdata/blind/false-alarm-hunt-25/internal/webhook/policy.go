package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"example.com/fah25/api"
)

// Policy is the reloadable part of the admission rules.
type Policy struct {
	MaxReplicas       int
	AllowedRegistries []string
	FrozenNamespaces  []string
}

func (p *Policy) check(w *api.Widget) string {
	for _, ns := range p.FrozenNamespaces {
		if w.Namespace == ns {
			return fmt.Sprintf("namespace %s is frozen", ns)
		}
	}
	if p.MaxReplicas > 0 && w.Spec.Replicas > p.MaxReplicas {
		return fmt.Sprintf("policy allows at most %d replicas", p.MaxReplicas)
	}
	if len(p.AllowedRegistries) == 0 {
		return ""
	}
	for _, r := range p.AllowedRegistries {
		if strings.HasPrefix(w.Spec.Image, r) {
			return ""
		}
	}
	return fmt.Sprintf("policy does not allow image %q", w.Spec.Image)
}

// SetPolicy replaces the active policy.
func (h *Handler) SetPolicy(p *Policy) { h.policy.Store(p) }

// LoadPolicy reads a policy file.
func LoadPolicy(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var p Policy
	if err := json.NewDecoder(f).Decode(&p); err != nil {
		return nil, fmt.Errorf("webhook: policy %s: %w", path, err)
	}
	return &p, nil
}

// WatchPolicy reloads the policy file every interval, forever.
func WatchPolicy(path string, every time.Duration, apply func(*Policy)) {
	var lastMod time.Time
	for {
		time.Sleep(every)
		f, err := os.Open(path)
		if err != nil {
			log.Printf("webhook: policy: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
		fi, err := f.Stat()
		if err != nil || !fi.ModTime().After(lastMod) {
			continue
		}
		var p Policy
		if err := json.NewDecoder(f).Decode(&p); err != nil {
			log.Printf("webhook: policy %s: %v", path, err)
			continue
		}
		lastMod = fi.ModTime()
		apply(&p)
	}
}

// WatchPolicyContext is WatchPolicy that stops with ctx; each reload opens and closes the file.
func WatchPolicyContext(ctx context.Context, path string, every time.Duration, apply func(*Policy)) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		p, err := LoadPolicy(path)
		if err != nil {
			log.Printf("webhook: policy: %v", err)
			continue
		}
		apply(p)
	}
}
