// Command fahbench measures the concurrent containers.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"example.com/fah29/internal/group"
	"example.com/fah29/internal/syncx"
)

func main() {
	n := flag.Int("n", 100000, "operations per worker")
	workers := flag.Int("workers", 8, "concurrent workers")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	res, err := bench(context.Background(), *workers, *n)
	if err != nil {
		log.Fatalf("bench: %v", err) // HAZ exit-skips-defer
	}
	fmt.Println(res)
}

type result struct {
	ops  int
	took time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("%d ops in %v (%.0f ops/s)", r.ops, r.took, float64(r.ops)/r.took.Seconds())
}

// bench runs workers goroutines doing n store/load pairs each on one map.
func bench(ctx context.Context, workers, n int) (result, error) {
	if workers < 1 || n < 1 {
		return result{}, fmt.Errorf("workers and n must be positive, got %d and %d", workers, n)
	}
	m := syncx.NewMap[string, int](n)
	ids := make([]int, workers)
	for i := range ids {
		ids[i] = i
	}
	start := time.Now()
	err := group.ForEach(ctx, ids, func(ctx context.Context, id int) error {
		for i := range n {
			k := strconv.Itoa(id*n + i)
			m.Store(k, i)
			if _, ok := m.Load(k); !ok {
				return fmt.Errorf("worker %d: lost key %s", id, k)
			}
		}
		return nil
	})
	return result{ops: 2 * workers * n, took: time.Since(start)}, err
}
