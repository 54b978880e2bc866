// Package agent ties the device side together: it polls the sensors, batches
// and uploads telemetry, obeys commands from the gateway and applies firmware.
package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"example.com/iotagent/internal/config"
	"example.com/iotagent/internal/firmware"
	"example.com/iotagent/internal/pubsub"
	"example.com/iotagent/internal/serial"
	"example.com/iotagent/internal/telemetry"
	"example.com/iotagent/internal/watchdog"
)

// Agent is the device agent.
type Agent struct {
	bus     *serial.Bus
	ports   []*serial.Port
	heater  *serial.Heater
	client  *pubsub.Client
	batcher *telemetry.Batcher
	spool   *telemetry.Spool
	wd      *watchdog.Watchdog
	dl      *firmware.Downloader
	slots   *firmware.Slots
	metrics *metrics

	postHooks map[string]func()

	mu  sync.Mutex
	cfg *config.Config
}

// New builds an agent from cfg, opening every configured port.
func New(cfg *config.Config) (*Agent, error) {
	a := &Agent{cfg: cfg, bus: serial.NewBus(), metrics: newMetrics()}
	if err := a.openPorts(cfg.Ports); err != nil {
		a.closePorts()
		return nil, err
	}
	var err error
	if a.batcher, err = telemetry.NewBatcher(filepath.Join(cfg.DataDir, "batches"), cfg.BatchSize); err != nil {
		a.closePorts()
		return nil, err
	}
	if a.spool, err = telemetry.OpenSpool(filepath.Join(cfg.DataDir, "spool")); err != nil {
		a.closePorts()
		return nil, err
	}
	a.client = pubsub.NewClient(pubsub.Options{Addr: cfg.Broker, ClientID: cfg.DeviceID})
	a.wd = watchdog.New(time.Duration(cfg.Watchdog), a.onWatchdog)
	a.dl = firmware.NewDownloader(&http.Client{Timeout: 10 * time.Minute}, cfg.FirmwareURL, cfg.DataDir, true)
	a.slots = firmware.NewSlots(cfg.SlotsDir)
	a.postHooks = map[string]func(){
		"calibrate": a.persistCalibration,
		"firmware":  a.requestReboot,
	}
	return a, nil
}

func (a *Agent) openPorts(ports []config.PortConfig) error {
	for _, pc := range ports {
		p, err := serial.OpenPort(pc.Path)
		if err != nil {
			return err
		}
		a.ports = append(a.ports, p)
		var d serial.Driver
		switch pc.Kind {
		case "temp":
			d = serial.NewTempSensor(pc.Name, p)
		case "humidity":
			d = serial.NewHumiditySensor(pc.Name, p)
		default:
			return fmt.Errorf("agent: port %s: unknown kind %q", pc.Name, pc.Kind)
		}
		if err := a.bus.Attach(d); err != nil {
			return err
		}
	}
	if a.cfg.HeaterPort != "" {
		p, err := serial.OpenPort(a.cfg.HeaterPort)
		if err != nil {
			return err
		}
		a.ports = append(a.ports, p)
		a.heater = serial.NewHeater(p)
	}
	return nil
}

func (a *Agent) closePorts() {
	for _, p := range a.ports {
		if err := p.Close(); err != nil {
			log.Printf("agent: close %s: %v", p.Name(), err)
		}
	}
}

// Close releases the ports and flushes buffered telemetry.
func (a *Agent) Close() error {
	err := a.batcher.Flush()
	a.closePorts()
	return err
}

func (a *Agent) config() *config.Config {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cfg
}

// Reconfigure installs a reloaded configuration; intervals take effect at the
// next tick.
func (a *Agent) Reconfigure(cfg *config.Config) {
	a.mu.Lock()
	a.cfg = cfg
	a.mu.Unlock()
	log.Printf("agent: configuration updated (poll every %v)", time.Duration(cfg.PollInterval))
}

func (a *Agent) topic(kind string) string {
	return "devices/" + a.config().DeviceID + "/" + kind
}

// Run connects to the gateway and polls until ctx ends. A panic in the agent's
// own loop is turned into an error so that main can flush and exit cleanly.
func (a *Agent) Run(ctx context.Context) (err error) {
	defer a.recoverFatal(&err)
	if err := a.client.Subscribe(a.topic("cmd"), a.handleCommand); err != nil {
		return err
	}
	a.wd.Start()
	go a.client.Run(ctx) // HAZ goroutine-outside-recover
	return a.pollLoop(ctx)
}

// recoverFatal converts a panic into *errp.
func (a *Agent) recoverFatal(errp *error) {
	if r := recover(); r != nil {
		log.Printf("agent: panic: %v\n%s", r, debug.Stack())
		*errp = fmt.Errorf("agent: panic: %v", r)
	}
}

func (a *Agent) pollLoop(ctx context.Context) error {
	cfg := a.config()
	poll := time.NewTicker(time.Duration(cfg.PollInterval))
	defer poll.Stop()
	publish := time.NewTicker(time.Duration(cfg.PublishInterval))
	defer publish.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-poll.C:
			a.pollOnce(ctx)
			a.wd.Kick()
			poll.Reset(time.Duration(a.config().PollInterval))
		case <-publish.C:
			if err := a.upload(ctx); err != nil {
				log.Printf("agent: upload: %v", err)
			}
		}
	}
}

// pollOnce reads every sensor once and records the readings.
func (a *Agent) pollOnce(ctx context.Context) {
	drivers := a.bus.Drivers()
	readings := make(chan serial.Reading, len(drivers))
	var wg sync.WaitGroup
	for _, d := range drivers {
		wg.Add(1)
		go func() {
			r, err := d.Read(ctx)
			if err != nil {
				log.Printf("agent: read %s: %v", d.Name(), err)
				return
			}
			readings <- r
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(readings)
	for r := range readings {
		a.record(r)
	}
}

// pollWithTimeouts reads every sensor with a per-read deadline; every goroutine
// reports exactly once.
func (a *Agent) pollWithTimeouts(ctx context.Context, d time.Duration) int {
	drivers := a.bus.Drivers()
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for _, drv := range drivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			r, err := drv.Read(rctx)
			if err != nil {
				return
			}
			a.record(r)
			mu.Lock()
			n++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return n
}

// collectFor gathers whatever readings arrive within d.
func (a *Agent) collectFor(ctx context.Context, d time.Duration) []serial.Reading {
	drivers := a.bus.Drivers()
	ch := make(chan serial.Reading, len(drivers))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, drv := range drivers {
		go func() {
			if r, err := drv.Read(ctx); err == nil {
				ch <- r
			}
		}()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	var out []serial.Reading
	for range drivers {
		select {
		case r := <-ch:
			out = append(out, r)
		case <-timer.C:
			return out
		}
	}
	return out
}

// gather is collectFor without the close: the buffered channel has room for
// every sender and is simply dropped when gather returns early.
func (a *Agent) gather(ctx context.Context, d time.Duration) []serial.Reading {
	drivers := a.bus.Drivers()
	ch := make(chan serial.Reading, len(drivers))
	for _, drv := range drivers {
		go func() {
			if r, err := drv.Read(ctx); err == nil {
				ch <- r
			}
		}()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	var out []serial.Reading
	for range drivers {
		select {
		case r := <-ch:
			out = append(out, r)
		case <-timer.C:
			return out
		}
	}
	return out
}

func (a *Agent) record(r serial.Reading) {
	s := telemetry.Sample{Device: a.config().DeviceID, Sensor: r.Sensor, Value: r.Value, Unit: r.Unit, At: r.At}
	if err := a.batcher.Add(s); err != nil {
		log.Printf("agent: batch: %v", err)
	}
}

// upload publishes the buffered samples and then anything left in the spool.
func (a *Agent) upload(ctx context.Context) error {
	if err := a.publishBatch(ctx); err != nil {
		if serr := a.spoolBatch(); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	_, err := a.spool.Drain(ctx, func(data []byte) error {
		return a.client.PublishAck(ctx, a.topic("telemetry"), data)
	})
	return err
}

// publishBatch sends the buffered samples and drops them once acknowledged.
func (a *Agent) publishBatch(ctx context.Context) error {
	var err error
	defer a.metrics.observe("publish", err) // HAZ defer-eager-evaluation
	samples := a.batcher.Snapshot()
	if len(samples) == 0 {
		return nil
	}
	payload, err := telemetry.EncodeSamples(samples)
	if err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err = a.client.PublishAck(pctx, a.topic("telemetry"), payload)
	if err != nil {
		return err
	}
	return a.batcher.Drop(len(samples))
}

// spoolBatch moves the buffered samples to the spool when the uplink is down.
func (a *Agent) spoolBatch() (err error) {
	defer func() {
		if err != nil {
			log.Printf("agent: spooling %d samples failed: %v", a.batcher.Len(), err)
		}
	}()
	samples := a.batcher.Snapshot()
	if len(samples) == 0 {
		return nil
	}
	data, err := json.Marshal(samples)
	if err != nil {
		return err
	}
	if _, err = a.spool.Append(data); err != nil {
		return err
	}
	a.batcher.Trim(len(a.batcher.Snapshot()) - len(samples))
	return nil
}

func (a *Agent) onWatchdog() {
	log.Printf("agent: watchdog expired, shortening serial timeouts")
	for _, p := range a.ports {
		p.SetTimeout(500 * time.Millisecond)
	}
	a.metrics.observe("watchdog", errors.New("expired"))
}
