// Command iot-agent runs on the device: it polls the sensors, uploads telemetry
// to the gateway and applies firmware updates. SIGHUP reloads the configuration.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"

	"example.com/iotagent/internal/agent"
	"example.com/iotagent/internal/config"
)

func main() {
	cfgPath := flag.String("config", "/etc/iot-agent/config.json", "configuration file")
	pidPath := flag.String("pidfile", "/run/iot-agent.pid", "pid file")
	verbose := flag.Bool("v", false, "log with file and line")
	flag.Parse()
	setupLogging(*verbose)

	cfg := mustLoadConfig(*cfgPath)
	if err := enrollIfNeeded(cfg); err != nil {
		log.Fatalf("iot-agent: enrol: %v", err)
	}
	if err := writePIDFile(*pidPath); err != nil {
		log.Fatalf("iot-agent: %v", err)
	}
	defer os.Remove(*pidPath) // HAZ signal-skips-defer

	a, err := agent.New(cfg)
	if err != nil {
		log.Printf("iot-agent: %v", err)
		return
	}
	defer func() {
		if err := a.Close(); err != nil {
			log.Printf("iot-agent: flush on exit: %v", err)
		}
	}()

	w := config.NewWatcher(*cfgPath, cfg)
	w.Subscribe(a.Reconfigure)
	go func() {
		if err := a.Run(context.Background()); err != nil {
			log.Printf("iot-agent: agent stopped: %v", err)
		}
	}()

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	for range hup {
		if err := w.Reload(); err != nil {
			log.Printf("iot-agent: reload: %v (keeping previous configuration)", err)
		}
	}
}

func setupLogging(verbose bool) {
	log.SetPrefix("")
	if verbose {
		log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.Lshortfile)
		return
	}
	log.SetFlags(log.LstdFlags)
}

// mustLoadConfig exits when the configuration is unusable; nothing has been
// set up yet at that point.
func mustLoadConfig(path string) *config.Config {
	cfg, err := config.Load(path)
	if err != nil {
		log.Fatalf("iot-agent: %v", err)
	}
	return cfg
}

// writePIDFile refuses to start a second agent.
func writePIDFile(path string) error {
	if b, err := os.ReadFile(path); err == nil {
		if pid, err := strconv.Atoi(string(b)); err == nil && processAlive(pid) {
			return fmt.Errorf("already running as pid %d", pid)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())), 0o644)
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// csr is the enrolment request handed to the enrolment tool.
type csr struct {
	DeviceID string `json:"device_id"`
	Broker   string `json:"broker"`
}

// enrollIfNeeded obtains the device certificate on first boot. The request is
// written to a temporary file for the enrolment tool.
func enrollIfNeeded(cfg *config.Config) error {
	if _, err := os.Stat(cfg.CertFile); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp("", "csr-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = json.NewEncoder(tmp).Encode(csr{DeviceID: cfg.DeviceID, Broker: cfg.Broker})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	out, err := exec.Command("iot-enrol", "-csr", tmp.Name(), "-out", cfg.CertFile).CombinedOutput()
	if err != nil {
		log.Fatalf("iot-agent: enrolment failed: %v\n%s", err, out) // HAZ exit-skips-defer
	}
	return nil
}
