// Package source is a ListWatcher backed by a directory of JSON files,
// polled for changes: the operator's stand-in for an API server.
package source

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/cache"
)

// Dir lists *.json files below a directory.
type Dir struct {
	path     string
	interval time.Duration
}

// NewDir returns a source polling path every interval.
func NewDir(path string, interval time.Duration) *Dir {
	return &Dir{path: path, interval: interval}
}

// List implements cache.ListWatcher.
func (d *Dir) List(ctx context.Context) ([]*api.Object, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, err
	}
	var out []*api.Object
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		obj, err := readObject(filepath.Join(d.path, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	return out, nil
}

// readObject decodes one file; it is only read, so the deferred Close is fine.
func readObject(path string) (*api.Object, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var obj api.Object
	if err := json.NewDecoder(f).Decode(&obj); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &obj, nil
}

// Watch implements cache.ListWatcher. The polling goroutine is the only
// sender on the channel and closes it when it exits; every send also
// selects on ctx.Done, so it never blocks after the consumer is gone.
func (d *Dir) Watch(ctx context.Context) (<-chan cache.Event, error) {
	seen, err := d.versions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan cache.Event)
	go func() {
		defer close(out)
		ticker := time.NewTicker(d.interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			evs, next, err := d.diff(ctx, seen)
			if err != nil {
				log.Printf("source: %v", err)
				continue
			}
			seen = next
			for _, ev := range evs {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

func (d *Dir) versions(ctx context.Context) (map[string]*api.Object, error) {
	objs, err := d.List(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]*api.Object, len(objs))
	for _, o := range objs {
		m[api.KeyOf(o)] = o
	}
	return m, nil
}

func (d *Dir) diff(ctx context.Context, prev map[string]*api.Object) ([]cache.Event, map[string]*api.Object, error) {
	cur, err := d.versions(ctx)
	if err != nil {
		return nil, nil, err
	}
	var evs []cache.Event
	for k, o := range cur {
		old, ok := prev[k]
		switch {
		case !ok:
			evs = append(evs, cache.Event{Type: cache.Added, Object: o})
		case old.ResourceVersion != o.ResourceVersion:
			evs = append(evs, cache.Event{Type: cache.Modified, Object: o})
		}
	}
	for k, o := range prev {
		if _, ok := cur[k]; !ok {
			evs = append(evs, cache.Event{Type: cache.Deleted, Object: o})
		}
	}
	return evs, cur, nil
}
