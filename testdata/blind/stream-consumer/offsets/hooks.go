package offsets

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"time"

	"example.com/consumer/broker"
)

// FlushWithHook starts the pre-commit hook (which snapshots the downstream
// system) and flushes while it runs.
func (c *Committer) FlushWithHook(ctx context.Context, hook []string) error {
	if len(hook) == 0 {
		return c.Flush()
	}
	cmd := exec.CommandContext(ctx, hook[0], hook[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	return c.Flush()
}

// RunHook runs the post-commit hook to completion, bounded by timeout.
func RunHook(ctx context.Context, hook []string, timeout time.Duration) error {
	if len(hook) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, hook[0], hook[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// Watch re-reads the group's offsets file at every tick and calls changed
// when it differs from the last read. It runs for the life of the process.
func (s *FileStore) Watch(group string, every time.Duration, changed func(map[broker.TopicPartition]int64)) {
	t := time.NewTicker(every)
	var last map[broker.TopicPartition]int64
	for range t.C {
		f, err := os.Open(s.path(group))
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		offs, err := readOffsets(f)
		if err != nil {
			continue
		}
		if !maps.Equal(offs, last) {
			changed(offs)
			last = offs
		}
	}
}

// WatchUntil is Watch with a way out, reading each file in a helper.
func (s *FileStore) WatchUntil(ctx context.Context, group string, every time.Duration, changed func(map[broker.TopicPartition]int64)) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last map[broker.TopicPartition]int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			offs, err := s.Load(group)
			if err != nil || maps.Equal(offs, last) {
				continue
			}
			changed(offs)
			last = offs
		}
	}
}
