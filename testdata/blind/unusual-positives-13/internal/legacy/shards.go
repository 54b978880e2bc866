package legacy

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"
)

// Shard is one partition of the v1 index.
type Shard struct {
	Name string
	Path string
}

// Reindexer rebuilds v1 index shards.
type Reindexer struct {
	Rebuild func(Shard) error
}

// LoadShards reads "name path" lines.
func LoadShards(path string) ([]Shard, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var shards []Shard
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		shards = append(shards, Shard{Name: fields[0], Path: fields[1]})
	}
	return shards, sc.Err()
}

// ReindexAll rebuilds every shard concurrently and returns one error slot
// per shard. The loop counter is kept for the log line after the loop.
func (r *Reindexer) ReindexAll(shards []Shard) ([]error, int) {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	var i int
	for i = 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = r.Rebuild(shards[i])
		}()
	}
	wg.Wait()
	return errs, i
}

// ReindexEach is ReindexAll with the counter passed as an argument.
func (r *Reindexer) ReindexEach(shards []Shard) ([]error, int) {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	var i int
	for i = 0; i < len(shards); i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = r.Rebuild(shards[i])
		}(i)
	}
	wg.Wait()
	return errs, i
}

// ReindexNamed rebuilds the shards and reports them by name. The loop
// declares its variables, so each goroutine sees its own shard (Go 1.22).
func (r *Reindexer) ReindexNamed(shards []Shard) map[string]error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	out := make(map[string]error, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := r.Rebuild(sh)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				out[sh.Name] = fmt.Errorf("shard %d: %w", i, err)
			} else {
				out[sh.Name] = nil
			}
		}()
	}
	wg.Wait()
	return out
}
