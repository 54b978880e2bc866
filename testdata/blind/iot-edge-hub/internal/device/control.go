package device

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// FirmwareVersion reads the "ver=" line a device prints when its stream is
// opened.
func (d *Device) FirmwareVersion() (string, error) {
	rc, err := d.Open()
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(io.LimitReader(rc, 4096))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "ver="); ok {
			return v, nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("device %s: no version line", d.ID)
}

// Banner returns the first line a device prints when its stream is opened.
func (d *Device) Banner() (string, error) {
	rc, err := d.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	line, err := bufio.NewReader(io.LimitReader(rc, 256)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// PowerCycle toggles the device's power line through ctl; the port needs a
// moment before it can be reopened.
func (d *Device) PowerCycle(ctl io.Writer) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	defer time.Sleep(500 * time.Millisecond) // HAZ defer-blocking-call
	if _, err := io.WriteString(ctl, "PWR OFF\r\nPWR ON\r\n"); err != nil {
		return err
	}
	d.lastSeen = time.Time{}
	return nil
}

// Kind returns the kind of the registered device id.
func (r *Registry) Kind(id string) (string, error) {
	r.mu.RLock() // HAZ lock-leaked-on-return
	d, ok := r.devs[id]
	if !ok {
		return "", fmt.Errorf("device %s not registered", id)
	}
	r.mu.RUnlock()
	return d.Kind, nil
}

// Replace swaps in a new device object for an existing ID after a hot-plug
// and returns the old one.
func (r *Registry) Replace(d *Device) (*Device, bool) {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	old, ok := r.devs[d.ID]
	r.devs[d.ID] = d
	return old, ok
}

// Count returns the number of registered devices.
func (r *Registry) Count() int {
	r.mu.RLock()
	n := len(r.devs)
	r.mu.RUnlock()
	return n
}
