package materialize

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// PartitionExt is the file extension of partition files.
const PartitionExt = ".fspq"

// ReadFile reads one partition file.
func ReadFile(path string) (*RowGroup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadRowGroup(bufio.NewReader(f))
}

// ReadPartitions reads the given files in order.
func ReadPartitions(paths []string) ([]*RowGroup, error) {
	groups := make([]*RowGroup, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		rg, err := ReadRowGroup(bufio.NewReader(f))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		groups = append(groups, rg)
	}
	return groups, nil
}

// ScanPartitions calls fn for every partition, holding at most one file open
// at a time.
func ScanPartitions(paths []string, fn func(path string, rg *RowGroup) error) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			rg, err := ReadRowGroup(bufio.NewReader(f))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			return fn(p, rg)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// ListPartitions returns the partition files of dir, sorted by name (which
// sorts them by event date, given the writer's naming scheme).
func ListPartitions(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), PartitionExt) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}

// LoadConcurrent reads partitions with at most workers files open at once.
func LoadConcurrent(ctx context.Context, paths []string, workers int) ([]*RowGroup, error) {
	if workers <= 0 {
		workers = 4
	}
	out := make([]*RowGroup, len(paths))
	errCh := make(chan error, len(paths))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ctx.Err(); err != nil {
				errCh <- err
				return
			}
			sem <- struct{}{}
			rg, err := ReadFile(p)
			<-sem
			if err != nil {
				errCh <- fmt.Errorf("%s: %w", p, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			out[i] = rg
		}()
	}
	wg.Wait()
	close(errCh)
	if err := <-errCh; err != nil {
		return nil, err
	}
	return out, nil
}

// CountRows sums the rows of every partition without keeping them.
func CountRows(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		rg, err := ReadFile(p)
		if err != nil {
			return 0, err
		}
		total += rg.Rows()
	}
	return total, nil
}
