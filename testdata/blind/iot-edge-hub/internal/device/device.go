// Package device models the sensors attached to the hub and turns their
// serial byte streams into samples.
package device

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Sample is one reading taken from a device.
type Sample struct {
	Device string    `json:"device"`
	Metric string    `json:"metric"`
	Value  float64   `json:"value"`
	At     time.Time `json:"at"`
}

// Source opens the byte stream of a device: a serial port on the hub, an
// HTTP stream from the simulator, an in-memory reader in tests.
type Source interface {
	Open() (io.ReadCloser, error)
}

// SourceFunc adapts a plain function to Source.
type SourceFunc func() (io.ReadCloser, error)

// Open calls f.
func (f SourceFunc) Open() (io.ReadCloser, error) { return f() }

// ErrNoSource is returned when a device has no stream to open.
var ErrNoSource = errors.New("device: no source")

// Status is a point-in-time view of a device for the UI and the uplink.
type Status struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	LastSeen time.Time         `json:"last_seen"`
	Errors   int               `json:"errors"`
	Props    map[string]string `json:"props,omitempty"`
}

// Device is one attached sensor.
type Device struct {
	ID   string
	Kind string
	src  Source

	mu       sync.Mutex
	lastSeen time.Time
	errors   int
	props    map[string]string
	pause    func() (resume func())
}

// New returns a device whose stream is opened from src.
func New(id, kind string, src Source) *Device {
	return &Device{ID: id, Kind: kind, src: src, props: make(map[string]string)}
}

// Open opens the device's stream.
func (d *Device) Open() (io.ReadCloser, error) {
	if d.src == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoSource, d.ID)
	}
	return d.src.Open()
}

// Touch records that a sample was read at t.
func (d *Device) Touch(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t.After(d.lastSeen) {
		d.lastSeen = t
	}
}

// LastSeen reports when the device last produced a sample.
func (d *Device) LastSeen() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastSeen
}

func (d *Device) noteError() {
	d.mu.Lock()
	d.errors++
	d.mu.Unlock()
}

// SetProp sets a configuration property pushed from the cloud; an empty value
// deletes it.
func (d *Device) SetProp(key, value string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if value == "" {
		delete(d.props, key)
		return
	}
	d.props[key] = value
}

// Prop returns one configuration property.
func (d *Device) Prop(key string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	v, ok := d.props[key]
	return v, ok
}

// Snapshot returns the device's current status.
func (d *Device) Snapshot() Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	props := make(map[string]string, len(d.props))
	for k, v := range d.props {
		props[k] = v
	}
	return Status{ID: d.ID, Kind: d.Kind, LastSeen: d.lastSeen, Errors: d.errors, Props: props}
}

// OnPause installs the hook that pauses the device's reader; the hook returns
// the function that resumes it.
func (d *Device) OnPause(fn func() (resume func())) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pause = fn
}

// Calibrate writes a calibration sequence to the device's control line,
// pausing its reader while the sequence runs.
func (d *Device) Calibrate(w io.Writer, steps []string) error {
	d.mu.Lock()
	pause := d.pause
	d.mu.Unlock()

	var resume func()
	if pause != nil {
		resume = pause()
	}
	defer resume() // HAZ defer-nil-func
	for i, step := range steps {
		if _, err := fmt.Fprintf(w, "CAL %d %s\r\n", i, step); err != nil {
			return fmt.Errorf("calibrate %s step %d: %w", d.ID, i, err)
		}
	}
	d.SetProp("calibrated", time.Now().UTC().Format(time.RFC3339))
	return nil
}

// Identify asks the device to blink its LED, pausing the reader if one is
// attached.
func (d *Device) Identify(w io.Writer, seconds int) error {
	d.mu.Lock()
	pause := d.pause
	d.mu.Unlock()

	if pause != nil {
		if resume := pause(); resume != nil {
			defer resume()
		}
	}
	_, err := fmt.Fprintf(w, "AT+BLINK=%d\r\n", seconds)
	return err
}
