// Command blobwatch logs changes to the files named on the command line.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/fah18/watch"
)

func main() {
	pidfile := flag.String("pidfile", "/run/blobwatch.pid", "where to record the process ID")
	every := flag.Duration("every", 2*time.Second, "poll interval")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("blobwatch: no paths to watch")
	}
	if err := writePIDFile(*pidfile); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*pidfile)

	w := watch.New(flag.Args(), watch.Options{Interval: *every})
	defer w.Close()
	heartbeat := time.NewTicker(time.Minute)
	defer heartbeat.Stop()
	for { // HAZ signal-skips-defer
		select {
		case ev := <-w.Events():
			if ev.Exists {
				log.Printf("%s: %d bytes, modified %v", ev.Path, ev.Size, ev.ModTime)
			} else {
				log.Printf("%s: removed", ev.Path)
			}
		case <-heartbeat.C:
			log.Printf("watching %d paths", flag.NArg())
		}
	}
}

// writePIDFile records the process ID, refusing to overwrite the file of
// a running instance.
func writePIDFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("blobwatch: %w (already running?)", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
