// Command serialbridge forwards the samples of local serial devices to
// standard output as JSON lines, for legacy collectors.
package main

import (
	"encoding/json"
	"flag"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"example.com/edgehub/internal/device"
)

func main() {
	ports := flag.String("ports", "/dev/ttyUSB0", "comma-separated serial ports")
	pidFile := flag.String("pidfile", "/run/serialbridge.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("serialbridge: %v", err)
	}
	defer os.Remove(*pidFile)

	enc := json.NewEncoder(os.Stdout)
	var mu sync.Mutex
	emit := func(s device.Sample) {
		mu.Lock()
		defer mu.Unlock()
		if err := enc.Encode(s); err != nil {
			log.Printf("serialbridge: %v", err)
		}
	}
	for _, p := range strings.Split(*ports, ",") {
		d := device.New(filepath.Base(p), "serial", portSource(p))
		go device.NewReader(d, nil).Pump(emit)
	}
	select {} // HAZ signal-skips-defer
}

// portSource opens a serial port read-only.
func portSource(path string) device.Source {
	return device.SourceFunc(func() (io.ReadCloser, error) {
		return os.OpenFile(path, os.O_RDONLY, 0)
	})
}
