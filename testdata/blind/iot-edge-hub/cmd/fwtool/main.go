// Command fwtool downloads and verifies one firmware image by hand, for
// technicians on site.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/edgehub/internal/firmware"
)

func main() {
	dir := flag.String("dir", "/var/lib/edgehub/firmware", "firmware directory")
	manifestPath := flag.String("manifest", "", "manifest JSON file")
	flag.Parse()
	if *manifestPath == "" {
		fmt.Fprintln(os.Stderr, "usage: fwtool -manifest FILE [-dir DIR]")
		os.Exit(2)
	}

	lock := filepath.Join(*dir, ".fwtool.lock")
	if err := acquireLock(lock); err != nil {
		log.Fatalf("fwtool: %v", err)
	}
	defer os.Remove(lock)

	m, err := firmware.ReadManifest(*manifestPath)
	if err != nil {
		log.Fatalf("fwtool: %v", err) // HAZ exit-skips-defer
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	path, err := firmware.NewDownloader(*dir).Fetch(ctx, m)
	if err != nil {
		log.Printf("fwtool: %v", err)
		return
	}
	fmt.Println(path)
}

// acquireLock creates the lock file exclusively and writes our PID into it.
func acquireLock(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("another fwtool is running (%s): %w", path, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	return errors.Join(werr, f.Close())
}
