// Command schemafetch downloads schemas into the generator's cache file so
// that later runs work offline.
//
//	schemafetch [-registry URL] [-cache file] name...
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah24/internal/cache"
	"example.com/fah24/internal/lockfile"
	"example.com/fah24/internal/schema"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("schemafetch: ")
	os.Exit(run())
}

func run() int {
	registry := flag.String("registry", "https://schemas.example.com", "registry base `URL`")
	cachePath := flag.String("cache", ".gentool-cache.json", "cache `file`")
	timeout := flag.Duration("timeout", 2*time.Minute, "overall timeout")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Print("no schema names given")
		return 2
	}
	lock, err := lockfile.Acquire(*cachePath+".lock", 10*time.Second)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer lock.Release()
	store, err := cache.Load(*cachePath, 4096)
	if err != nil {
		log.Fatalf("load cache: %v", err) // HAZ exit-skips-defer
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	return fetch(ctx, schema.NewClient(*registry, store), store, *cachePath, flag.Args())
}

// fetch downloads names, saves the cache and returns the exit code.
func fetch(ctx context.Context, c *schema.Client, store *cache.Store, path string, names []string) int {
	code := 0
	docs, err := c.FetchAll(ctx, names)
	if err != nil {
		log.Print(err)
		code = 1
	}
	for name, data := range docs {
		store.Put(name, data)
	}
	if err := store.Snapshot().Persist(path); err != nil {
		log.Print(err)
		return 1
	}
	log.Printf("%d schemas cached in %s", len(docs), path)
	return code
}
