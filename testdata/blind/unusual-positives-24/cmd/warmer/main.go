// Command warmer preloads files named in WARMER_PRELOAD into memory and
// reports how many it loaded.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
)

var (
	warm    sync.WaitGroup
	cache   sync.Map
	preload = strings.Fields(os.Getenv("WARMER_PRELOAD"))
)

// init starts loading the preload list before main runs.
func init() {
	for _, name := range preload {
		warm.Add(1)
		go func() {
			data, err := os.ReadFile(name)
			if err != nil {
				log.Printf("warmer: skip %s: %v", name, err)
				return
			}
			cache.Store(name, data)
			warm.Done() // HAZ waitgroup-done-path
		}()
	}
}

func loaded() map[string]int {
	out := make(map[string]int)
	cache.Range(func(k, v any) bool {
		out[k.(string)] = len(v.([]byte))
		return true
	})
	return out
}

func main() {
	verbose := flag.Bool("v", false, "list every loaded file")
	flag.Parse()
	warm.Wait()
	sizes := loaded()
	fmt.Printf("warmed %d of %d files\n", len(sizes), len(preload))
	if !*verbose {
		return
	}
	names := make([]string, 0, len(sizes))
	for n := range sizes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("%8d %s\n", sizes[n], n)
	}
}
