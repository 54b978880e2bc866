package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/cache"
)

// dirListWatcher serves widgets stored as JSON files in a directory; Watch polls it.
type dirListWatcher struct {
	dir      string
	interval time.Duration
}

func (d *dirListWatcher) List(ctx context.Context) ([]api.Object, string, error) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, "", err
	}
	var (
		objs   []api.Object
		latest time.Time
	)
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, "", err
		}
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		w, mod, err := readWidget(filepath.Join(d.dir, e.Name()))
		if err != nil {
			return nil, "", err
		}
		if mod.After(latest) {
			latest = mod
		}
		objs = append(objs, w)
	}
	return objs, strconv.FormatInt(latest.UnixNano(), 10), nil
}

func readWidget(path string) (*api.Widget, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	var w api.Widget
	if err := json.NewDecoder(f).Decode(&w); err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	w.ResourceVersion = strconv.FormatInt(fi.ModTime().UnixNano(), 10)
	return &w, fi.ModTime(), nil
}

// Watch polls the directory and emits the differences until ctx ends.
func (d *dirListWatcher) Watch(ctx context.Context, rv string) (<-chan cache.WatchEvent, error) {
	initial, _, err := d.List(ctx)
	if err != nil {
		return nil, err
	}
	events := make(chan cache.WatchEvent)
	go func() {
		defer close(events)
		ticker := time.NewTicker(d.interval)
		defer ticker.Stop()
		known := index(initial)
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			objs, rv, err := d.List(ctx)
			if err != nil {
				continue
			}
			current := index(objs)
			for _, ev := range diff(known, current, rv) {
				select {
				case events <- ev:
				case <-ctx.Done():
					return
				}
			}
			known = current
		}
	}()
	return events, nil
}

func index(objs []api.Object) map[string]api.Object {
	out := make(map[string]api.Object, len(objs))
	for _, o := range objs {
		if key, err := api.KeyFunc(o); err == nil {
			out[key] = o
		}
	}
	return out
}

func diff(old, cur map[string]api.Object, rv string) []cache.WatchEvent {
	var evs []cache.WatchEvent
	for k, o := range cur {
		prev, ok := old[k]
		switch {
		case !ok:
			evs = append(evs, cache.WatchEvent{Type: cache.Added, Object: o, ResourceVersion: rv})
		case prev.GetMeta().ResourceVersion != o.GetMeta().ResourceVersion:
			evs = append(evs, cache.WatchEvent{Type: cache.Modified, Object: o, ResourceVersion: rv})
		}
	}
	for k, o := range old {
		if _, ok := cur[k]; !ok {
			evs = append(evs, cache.WatchEvent{Type: cache.Deleted, Object: o, ResourceVersion: rv})
		}
	}
	return evs
}
