package fqueue

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DiskUsage returns the total size of the queue directory.
func (q *Queue) DiskUsage() (int64, error) {
	start := time.Now()
	defer q.logf("fqueue: disk usage scan of %s took %v", q.dir, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	var total int64
	err := filepath.WalkDir(q.dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}

// SegmentSizes returns the size of every segment file. It logs the elapsed
// time from a deferred closure, which reads the clock when it runs.
func (q *Queue) SegmentSizes() (map[int]int64, error) {
	start := time.Now()
	defer func() { q.logf("fqueue: segment sizes of %s took %v", q.dir, time.Since(start)) }()
	ids, err := listSegments(q.dir)
	if err != nil {
		return nil, err
	}
	out := make(map[int]int64, len(ids))
	for _, id := range ids {
		info, err := os.Stat(q.segPath(id))
		if err != nil {
			return nil, err
		}
		out[id] = info.Size()
	}
	return out, nil
}
