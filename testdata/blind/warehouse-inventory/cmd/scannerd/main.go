// Command scannerd is the barcode scanner gateway: handhelds connect over TCP
// and every scan is journalled to the write-ahead log.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"example.com/inventory/internal/scanner"
	"example.com/inventory/internal/wal"
)

func main() {
	listen := flag.String("listen", ":7070", "v2 handheld listen address")
	listenV1 := flag.String("listen-v1", "", "v1 handheld listen address (optional)")
	walPath := flag.String("wal", "/var/lib/inventory/scans.wal", "scan journal")
	pidFile := flag.String("pidfile", "/run/scannerd.pid", "pid file")
	flag.Parse()

	if err := writePIDFile(*pidFile); err != nil {
		log.Fatalf("scannerd: %v", err)
	}
	defer os.Remove(*pidFile)

	journal, err := wal.Open(*walPath)
	if err != nil {
		log.Printf("scannerd: open journal: %v", err)
		return
	}
	defer journal.Close()

	srv := scanner.NewServer(func(ev scanner.Event) error {
		_, err := journal.Append("scan", ev.Device, ev.Barcode, ev.Qty)
		return err
	}, log.Default())
	srv.StartWorkers(4)

	if *listenV1 != "" {
		lnV1, err := net.Listen("tcp", *listenV1)
		if err != nil {
			log.Printf("scannerd: listen v1: %v", err)
			return
		}
		go srv.ServeV1(lnV1)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Printf("scannerd: listen: %v", err)
		return
	}
	log.Printf("scannerd: accepting handhelds on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("scannerd: %v", err)
	}
}

// writePIDFile creates path exclusively, so that a second instance refuses
// to start while the first one runs.
func writePIDFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: is another scannerd running?", path)
		}
		return err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
