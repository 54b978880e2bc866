// Command cachewarm preloads a cache snapshot from a list of keys. Only one
// instance may run at a time, guarded by a lock file.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"example.com/falsealarm7/cache"
	"example.com/falsealarm7/workerpool"
)

func main() {
	keysPath := flag.String("keys", "", "file with one key per line")
	lockPath := flag.String("lock", os.TempDir()+"/cachewarm.lock", "lock file")
	workers := flag.Int("workers", 4, "concurrent loads")
	flag.Parse()
	if *keysPath == "" {
		log.Fatal("cachewarm: -keys is required")
	}
	release, err := lockFile(*lockPath)
	if err != nil {
		log.Fatalf("cachewarm: %v", err)
	}
	defer release()

	keys, err := readKeys(*keysPath)
	if err != nil {
		log.Fatalf("cachewarm: %v", err) // HAZ exit-skips-defer
	}
	lc := cache.NewLoading(len(keys)+1, load, nil)
	got := workerpool.OrderedMap(keys, *workers, func(k string) error {
		_, err := lc.Get(context.Background(), k)
		return err
	})
	if err := errors.Join(got...); err != nil {
		log.Printf("cachewarm: some loads failed: %v", err)
	}
	log.Printf("cachewarm: warmed %d keys", len(keys))
}

// lockFile creates path exclusively and returns a function removing it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("another run holds %s: %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	if err := f.Close(); err != nil {
		return nil, errors.Join(err, os.Remove(path))
	}
	return func() {
		if err := os.Remove(path); err != nil {
			log.Printf("cachewarm: remove lock: %v", err)
		}
	}, nil
}

// readKeys reads non-empty lines from a read-only file.
func readKeys(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k := strings.TrimSpace(sc.Text()); k != "" {
			keys = append(keys, k)
		}
	}
	return keys, sc.Err()
}

func load(_ context.Context, key string) (string, error) {
	if strings.ContainsAny(key, " \t") {
		return "", fmt.Errorf("bad key %q", key)
	}
	return strings.ToUpper(key), nil
}
