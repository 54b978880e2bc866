package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/iotagent/internal/config"
	"example.com/iotagent/internal/serial"
)

// Command is a request from the gateway on devices/<id>/cmd.
type Command struct {
	Name string          `json:"name"`
	Args json.RawMessage `json:"args,omitempty"`
}

// trace logs how long the named operation took; use as defer trace("x")().
func trace(name string) func() {
	start := time.Now()
	return func() {
		log.Printf("agent: %s took %v", name, time.Since(start))
	}
}

// handleCommand is the subscription handler for the command topic.
func (a *Agent) handleCommand(topic string, payload []byte) {
	defer trace("command on " + topic)()
	var cmd Command
	if err := json.Unmarshal(payload, &cmd); err != nil {
		log.Printf("agent: bad command on %s: %v", topic, err)
		return
	}
	if err := a.runCommand(cmd); err != nil {
		log.Printf("agent: command %s: %v", cmd.Name, err)
	}
}

// runCommand runs cmd, turning a panic into an error.
func (a *Agent) runCommand(cmd Command) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("agent: command %s panicked: %v", cmd.Name, r)
		}
	}()
	return a.dispatch(cmd)
}

// dispatch executes cmd and then its post-hook.
func (a *Agent) dispatch(cmd Command) error {
	defer a.postHooks[cmd.Name]() // HAZ defer-nil-func
	switch cmd.Name {
	case "flush":
		return a.batcher.Flush()
	case "calibrate":
		var args struct {
			Sensor string  `json:"sensor"`
			Offset float64 `json:"offset"`
		}
		if err := json.Unmarshal(cmd.Args, &args); err != nil {
			return err
		}
		return a.calibrate(args.Sensor, args.Offset)
	case "firmware":
		var args struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(cmd.Args, &args); err != nil {
			return err
		}
		return a.ApplyFirmware(context.Background(), args.Version)
	case "selftest":
		return a.SelfTest(context.Background())
	}
	return fmt.Errorf("agent: unknown command %q", cmd.Name)
}

// withHook runs fn and then the post-hook registered for name, if any.
func (a *Agent) withHook(name string, fn func() error) error {
	hook := a.postHooks[name]
	if hook == nil {
		hook = func() {}
	}
	defer hook()
	return fn()
}

// Calibrate is the local-console entry point for calibration.
func (a *Agent) Calibrate(sensor string, offset float64) error {
	return a.withHook("calibrate", func() error { return a.calibrate(sensor, offset) })
}

func (a *Agent) calibrate(sensor string, offset float64) error {
	d, ok := a.bus.Lookup(sensor)
	if !ok {
		return fmt.Errorf("agent: no sensor %q", sensor)
	}
	ts, ok := d.(*serial.TempSensor)
	if !ok {
		return fmt.Errorf("agent: sensor %q cannot be calibrated", sensor)
	}
	return ts.Calibrate(offset)
}

func (a *Agent) persistCalibration() {
	var offsets = make(map[string]float64)
	for _, d := range a.bus.Drivers() {
		if ts, ok := d.(*serial.TempSensor); ok {
			offsets[ts.Name()] = ts.Offset()
		}
	}
	data, err := json.Marshal(offsets)
	if err != nil {
		log.Printf("agent: calibration: %v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(a.config().DataDir, "calibration.json"), data, 0o644); err != nil {
		log.Printf("agent: save calibration: %v", err)
	}
}

func (a *Agent) requestReboot() {
	path := filepath.Join(a.config().DataDir, "reboot-requested")
	if err := os.WriteFile(path, []byte(time.Now().UTC().Format(time.RFC3339)), 0o644); err != nil {
		log.Printf("agent: request reboot: %v", err)
	}
}

// ApplyFirmware downloads version, verifies it and installs it into the
// inactive slot. The watchdog is paused because flashing stalls the bus.
func (a *Agent) ApplyFirmware(ctx context.Context, version string) error {
	defer a.wd.Pause() // HAZ defer-func-result-not-called
	m, err := a.dl.Manifest(ctx, version)
	if err != nil {
		return err
	}
	path, err := a.dl.FetchShared(ctx, m)
	if err != nil {
		return err
	}
	if err := a.slots.Install(path); err != nil {
		return err
	}
	return a.slots.MarkPending(m.Version)
}

// Rollback switches back to the previous slot with the watchdog paused.
func (a *Agent) Rollback() error {
	resume := a.wd.Pause()
	defer resume()
	return a.slots.Rollback()
}

// SelfTest reads every sensor, optionally with the heater on to check that the
// temperature sensors respond.
func (a *Agent) SelfTest(ctx context.Context) error {
	var restore func()
	if a.heater != nil && a.config().SelfTestHeater {
		if err := a.heater.Set(true); err != nil {
			return err
		}
		restore = func() {
			if err := a.heater.Set(false); err != nil {
				log.Printf("agent: heater off: %v", err)
			}
		}
	}
	defer restore() // HAZ defer-nil-func
	readings, errs := a.bus.ReadAll(ctx)
	if len(errs) > 0 {
		return fmt.Errorf("agent: self test: %w", errors.Join(errs...))
	}
	log.Printf("agent: self test ok, %d readings", len(readings))
	return nil
}

// QuickCheck is SelfTest without the heater: the cleanup is a no-op by default.
func (a *Agent) QuickCheck(ctx context.Context) error {
	cleanup := func() {}
	if a.heater != nil {
		if err := a.heater.Set(false); err == nil {
			cleanup = func() { log.Printf("agent: quick check done, heater left off") }
		}
	}
	defer cleanup()
	_, errs := a.bus.ReadAll(ctx)
	return errors.Join(errs...)
}

// runHandler runs a gateway-supplied script hook, logging a panic instead of
// crashing the agent.
func (a *Agent) runHandler(name string, fn func()) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("agent: handler %s panicked: %v", name, r)
			}
		}
		report()
	}()
	fn()
}

// OnConfigPush applies a configuration pushed by the gateway.
func (a *Agent) OnConfigPush(payload []byte) {
	a.runHandler("config-push", func() {
		var patch struct {
			PollSeconds int `json:"poll_seconds"`
		}
		if err := json.Unmarshal(payload, &patch); err != nil || patch.PollSeconds <= 0 {
			return
		}
		cfg := a.config().Clone()
		cfg.PollInterval = config.Duration(time.Duration(patch.PollSeconds) * time.Second)
		a.Reconfigure(cfg)
	})
}
