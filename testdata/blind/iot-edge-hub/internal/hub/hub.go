// Package hub wires the device readers, the time-series buffer, the uplink,
// the command dispatcher and the watchdog into one running edge hub.
package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/edgehub/internal/device"
	"example.com/edgehub/internal/dispatch"
	"example.com/edgehub/internal/obs"
	"example.com/edgehub/internal/tsbuf"
	"example.com/edgehub/internal/uplink"
	"example.com/edgehub/internal/watchdog"
)

// DeviceConfig describes one attached device.
type DeviceConfig struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Path is a serial device node, a file, or an http:// stream URL.
	Path string `json:"path"`
}

// Config is the hub's configuration file.
type Config struct {
	HubID      string         `json:"hub_id"`
	DataDir    string         `json:"data_dir"`
	Broker     string         `json:"broker"`
	BatchSize  int            `json:"batch_size"`
	FlushEvery Duration       `json:"flush_every"`
	StaleAfter Duration       `json:"stale_after"`
	Devices    []DeviceConfig `json:"devices"`
}

// Duration is a time.Duration written as "30s" in JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON parses a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// LoadConfig reads and validates the configuration file.
func LoadConfig(path string) (Config, error) {
	var cfg Config
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.HubID == "" || cfg.DataDir == "" || cfg.Broker == "" {
		return cfg, fmt.Errorf("%s: hub_id, data_dir and broker are required", path)
	}
	if cfg.FlushEvery.Duration <= 0 {
		cfg.FlushEvery.Duration = 30 * time.Second
	}
	if cfg.StaleAfter.Duration <= 0 {
		cfg.StaleAfter.Duration = 2 * time.Minute
	}
	return cfg, nil
}

// Hub is the running edge hub.
type Hub struct {
	cfg      Config
	reg      *device.Registry
	buf      *tsbuf.Buffer
	up       *uplink.Client
	disp     *dispatch.Dispatcher
	wd       *watchdog.Watchdog
	audit    *dispatch.AuditLog
	stats    *obs.Counters
	samples  chan device.Sample
	segments chan string

	mu      sync.Mutex
	readers map[string]context.CancelFunc
	wg      sync.WaitGroup
}

// New builds a hub from cfg; it starts nothing.
func New(cfg Config) (*Hub, error) {
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "segments"), 0o755); err != nil {
		return nil, err
	}
	audit, err := dispatch.OpenAudit(filepath.Join(cfg.DataDir, "audit.jsonl"))
	if err != nil {
		return nil, err
	}
	stats := obs.NewCounters()
	h := &Hub{
		cfg:      cfg,
		reg:      device.NewRegistry(),
		buf:      tsbuf.New(filepath.Join(cfg.DataDir, "segments"), cfg.BatchSize),
		up:       uplink.NewClient(cfg.Broker, cfg.HubID, uplink.NetDialer(10*time.Second), stats),
		disp:     dispatch.New(audit),
		wd:       watchdog.New(cfg.StaleAfter.Duration),
		audit:    audit,
		stats:    stats,
		samples:  make(chan device.Sample, 256),
		segments: make(chan string, 16),
		readers:  make(map[string]context.CancelFunc),
	}
	for _, dc := range cfg.Devices {
		if err := h.reg.Add(device.New(dc.ID, dc.Kind, sourceFor(dc.Path))); err != nil {
			audit.Close()
			return nil, err
		}
	}
	dispatch.Builtins(h.disp, h.reg)
	return h, nil
}

// sourceFor returns the stream source of a device path.
func sourceFor(path string) device.Source {
	if strings.HasPrefix(path, "http://") {
		return httpSource(path)
	}
	return device.SourceFunc(func() (io.ReadCloser, error) {
		return os.Open(path)
	})
}

// httpSource streams a simulated device from devsim.
func httpSource(url string) device.Source {
	client := &http.Client{Timeout: 0}
	return device.SourceFunc(func() (io.ReadCloser, error) {
		resp, err := client.Get(url)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("hub: %s: %s", url, resp.Status)
		}
		return resp.Body, nil
	})
}

// Registry exposes the device registry to the UI.
func (h *Hub) Registry() *device.Registry { return h.reg }

// Uplink exposes the uplink client to the UI.
func (h *Hub) Uplink() *uplink.Client { return h.up }

// Stats renders the hub's counters.
func (h *Hub) Stats() string { return h.stats.String() }

// RunCommand executes one device command for the UI.
func (h *Hub) RunCommand(ctx context.Context, dev, op string, args map[string]string) (string, error) {
	id := fmt.Sprintf("ui-%d", time.Now().UnixNano())
	res := h.disp.Execute(ctx, dispatch.Command{ID: id, Device: dev, Op: op, Args: args})
	if !res.OK {
		return "", errors.New(res.Err)
	}
	return res.Output, nil
}
