// Command iot-gateway runs the hub: the device broker on -mqtt and the HTTP API
// on -http.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/iotagent/internal/gateway"
	"example.com/iotagent/internal/pubsub"
)

func main() {
	mqttAddr := flag.String("mqtt", ":1883", "device broker address")
	httpAddr := flag.String("http", ":8080", "HTTP API address")
	state := flag.String("state", "/var/lib/iot-gateway/devices.json", "device registry file")
	fwDir := flag.String("firmware", "/var/lib/iot-gateway/firmware", "firmware image directory")
	upstream := flag.String("upstream", "", "event collector base URL")
	flag.Parse()

	reg := gateway.NewRegistry()
	migrateState(*state, reg)

	ln, err := net.Listen("tcp", *mqttAddr)
	if err != nil {
		log.Fatalf("iot-gateway: %v", err)
	}
	b := pubsub.NewBroker(2 * time.Minute)
	defer b.Close()
	defer func() {
		if err := reg.Save(*state); err != nil {
			log.Printf("iot-gateway: save state: %v", err)
		}
	}()
	go func() {
		if err := b.Serve(ln); err != nil {
			log.Printf("iot-gateway: broker: %v", err)
		}
	}()

	g := gateway.New(b, reg, *upstream, *fwDir)
	ctx := context.Background()
	g.Start(ctx, *state)
	g.StartJanitor(ctx, time.Minute)

	srv := &http.Server{Addr: *httpAddr, Handler: g.Handler(), ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("iot-gateway: http: %v", err)
	}
}

// createLock takes the state lock file exclusively.
func createLock(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("state is locked by another gateway (%s): %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// migrateState loads the registry under the state lock, converting old files.
func migrateState(path string, reg *gateway.Registry) {
	lock := path + ".lock"
	if err := createLock(lock); err != nil {
		log.Fatalf("iot-gateway: %v", err)
	}
	defer os.Remove(lock)
	if err := reg.Load(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatalf("iot-gateway: load state %s: %v", path, err) // HAZ exit-skips-defer
	}
	if err := reg.Save(path); err != nil {
		log.Printf("iot-gateway: rewrite state: %v", err)
	}
}
