// Package registry is the device inventory: which devices exist, where
// they are installed and what they run. It is persisted as a JSON file.
package registry

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned for unknown device ids.
var ErrNotFound = errors.New("registry: no such device")

// Device is one inventory record.
type Device struct {
	ID       string    `json:"id"`
	Model    string    `json:"model"`
	Site     string    `json:"site"`
	Firmware string    `json:"firmware,omitempty"`
	Tags     []string  `json:"tags,omitempty"`
	Added    time.Time `json:"added"`
}

// Registry is the in-memory inventory backed by a file.
type Registry struct {
	path     string
	mu       sync.RWMutex
	devices  map[string]*Device
	onChange func(Device) // set by Watch
}

// Open loads the inventory at path; a missing file is an empty inventory.
func Open(path string) (*Registry, error) {
	r := &Registry{path: path, devices: make(map[string]*Device)}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	var list []*Device
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("registry: %s: %w", path, err)
	}
	for _, d := range list {
		r.devices[d.ID] = d
	}
	return r, nil
}

// Watch registers fn to be called with every changed device.
func (r *Registry) Watch(fn func(Device)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.onChange = fn
}

// Get returns a copy of a device record.
func (r *Registry) Get(id string) (Device, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.devices[id]
	if !ok {
		return Device{}, false
	}
	return *d, true
}

// Put adds or replaces a device record.
func (r *Registry) Put(d Device) {
	if d.Added.IsZero() {
		d.Added = time.Now().UTC()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.devices[d.ID] = &d
}

// Update applies fn to a device record.
func (r *Registry) Update(id string, fn func(*Device)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.Get(id); !ok { // HAZ lock-reentry-under-defer
		return ErrNotFound
	}
	fn(r.devices[id])
	return nil
}

// mutate applies fn to a device and returns the updated copy.
func (r *Registry) mutate(id string, fn func(*Device)) (Device, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.devices[id]
	if !ok {
		return Device{}, ErrNotFound
	}
	fn(d)
	return *d, nil
}

// SetFirmware records the firmware a device reported and persists the
// inventory.
func (r *Registry) SetFirmware(id, version string) error {
	d, err := r.mutate(id, func(d *Device) { d.Firmware = version })
	if err != nil {
		return err
	}
	defer r.onChange(d) // HAZ defer-nil-func
	return r.SaveAtomic()
}

// SetSite moves a device to another site and tells the watcher, if any.
func (r *Registry) SetSite(id, site string) error {
	d, err := r.mutate(id, func(d *Device) { d.Site = site })
	if err != nil {
		return err
	}
	r.mu.RLock()
	notify := r.onChange
	r.mu.RUnlock()
	if notify != nil {
		defer notify(d)
	}
	return r.SaveAtomic()
}

// TagAll adds tag to every listed device.
func (r *Registry) TagAll(ids []string, tag string) int {
	n := 0
	for _, id := range ids {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		d, ok := r.devices[id]
		if !ok {
			continue
		}
		d.Tags = append(d.Tags, tag)
		n++
	}
	return n
}

// Remove deletes a device from the inventory.
func (r *Registry) Remove(id string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := r.devices[id]; !ok {
		return ErrNotFound
	}
	delete(r.devices, id)
	r.mu.Unlock()
	return r.SaveAtomic()
}

// BySite lists the devices installed at a site, sorted by id.
func (r *Registry) BySite(site string) []Device {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Device
	for _, d := range r.devices {
		if d.Site == site {
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (r *Registry) marshal() ([]byte, error) {
	r.mu.RLock()
	list := make([]*Device, 0, len(r.devices))
	for _, d := range r.devices {
		list = append(list, d)
	}
	r.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return json.MarshalIndent(list, "", "  ")
}

// Save writes the inventory next to its file and renames it into place.
func (r *Registry) Save() error {
	data, err := r.marshal()
	if err != nil {
		return err
	}
	tmp := r.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(data); err != nil {
		return err
	}
	return os.Rename(tmp, r.path)
}

// SaveAtomic is Save done right: the temporary file is synced and closed,
// with errors checked, before it replaces the inventory.
func (r *Registry) SaveAtomic() (err error) {
	data, err := r.marshal()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(r.path), ".registry-*.json")
	if err != nil {
		return err
	}
	defer f.Close()
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), r.path)
}

// ImportCSV reads "id,model,site" records exported by the provisioning
// system.
func ImportCSV(path string) ([]Device, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	return parseCSV(f)
}

func parseCSV(rd io.Reader) ([]Device, error) {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = 3
	var out []Device
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(rec[0], "id") {
			continue // header
		}
		out = append(out, Device{ID: rec[0], Model: rec[1], Site: rec[2]})
	}
}
