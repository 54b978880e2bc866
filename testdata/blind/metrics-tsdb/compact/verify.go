package compact

import (
	"fmt"
	"sync"

	"example.com/tsdb/block"
)

// verifyAll checks every block concurrently and returns one error slot per block.
func verifyAll(bs []*block.Block) []error {
	errs := make([]error, len(bs))
	var wg sync.WaitGroup
	for i, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m := b.Meta(); m.Stats.NumSamples == 0 {
				errs[i] = fmt.Errorf("block %s: empty", m.ULID)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errs[i] = b.Verify()
		}()
	}
	wg.Wait()
	return errs
}

// VerifySources opens the source blocks of a planned compaction and checks
// them before any work is done. Blocks are closed before returning.
func VerifySources(srcs []string) error {
	bs := make([]*block.Block, 0, len(srcs))
	for _, dir := range srcs {
		b, err := block.Open(dir)
		if err != nil {
			closeAll(bs)
			return err
		}
		bs = append(bs, b)
	}
	defer closeAll(bs)
	for i, err := range verifyAll(bs) {
		if err != nil {
			return fmt.Errorf("source %s: %w", srcs[i], err)
		}
	}
	return nil
}

func closeAll(bs []*block.Block) {
	for _, b := range bs {
		b.Close()
	}
}

// RunOnce plans and runs one round of compactions over the given metas. A
// panic while merging is turned into an error so that the caller's loop survives.
func (c *Compactor) RunOnce(metas []block.Meta) (created []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.failures.Add(1)
			err = fmt.Errorf("compaction panic: %v", r)
		}
	}()
	groups := c.Plan(metas)
	if len(groups) == 0 {
		return nil, nil
	}
	results := make(chan string, len(groups))
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					c.failures.Add(1)
					c.logger.Printf("compact %v: panic: %v", g, r)
				}
			}()
			if err := VerifySources(g); err != nil {
				c.logger.Printf("skip group %v: %v", g, err)
				return
			}
			dir, err := c.Compact(g)
			if err != nil {
				c.logger.Printf("compact %v: %v", g, err)
				return
			}
			results <- dir
		}()
	}
	wg.Wait()
	close(results)
	for dir := range results {
		created = append(created, dir)
	}
	return created, nil
}
