// Command bundle-janitor runs on nodes without faasd's own maintenance:
// every interval it removes staging directories left by crashed unpacks.
package main

import (
	"flag"
	"log"
	"os"
	"strconv"
	"time"

	"example.com/faas/internal/bundle"
)

// writePID records our pid so that the node agent can find us.
func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func main() {
	root := flag.String("root", "/var/lib/faas/cache", "cache root")
	every := flag.Duration("every", time.Minute, "sweep interval")
	pidfile := flag.String("pidfile", "/run/faas-bundle-janitor.pid", "pid file")
	flag.Parse()

	cache, err := bundle.NewCache(*root, nil)
	if err != nil {
		log.Fatalf("bundle-janitor: %v", err)
	}
	if err := writePID(*pidfile); err != nil {
		log.Fatalf("bundle-janitor: %v", err)
	}
	defer os.Remove(*pidfile) // HAZ signal-skips-defer
	for {
		n, err := cache.Compact(time.Hour)
		if err != nil {
			log.Printf("bundle-janitor: %v", err)
		} else if n > 0 {
			log.Printf("bundle-janitor: removed %d staging directories", n)
		}
		time.Sleep(*every)
	}
}
