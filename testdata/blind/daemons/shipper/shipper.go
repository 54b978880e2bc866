package shipper

import (
	"context"
	"errors"
	"log"
	"sync"
)

// Shipper wires tailers, a batcher and an uploader together.
type Shipper struct {
	Tailer   *Tailer
	Batcher  *Batcher
	Uploader *Uploader
	SpoolDir string
	Log      *log.Logger
}

// Run ships every file in paths until ctx is done, then saves offsets.
func (s *Shipper) Run(ctx context.Context, paths []string) error {
	lines := make(chan Line, 1024)
	batches := make(chan Batch, 4)

	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Tailer.Follow(ctx, p, lines); err != nil && !errors.Is(err, context.Canceled) {
				s.Log.Printf("tail %s: %v", p, err)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(lines) // ok: closed only after every sender has returned
	}()
	go s.Batcher.Run(ctx, lines, batches) // closes batches when lines is closed

	for b := range batches {
		// a fresh context: batches still in flight at shutdown go to the spool
		if err := s.Uploader.ShipOrSpool(context.WithoutCancel(ctx), b, s.SpoolDir); err != nil {
			s.Log.Printf("batch %d lost: %v", b.ID, err)
		}
	}
	return s.Tailer.SaveOffsets(s.SpoolDir)
}

// Flush persists tail offsets; called on shutdown.
func (s *Shipper) Flush() error {
	return s.Tailer.SaveOffsets(s.SpoolDir)
}

// Stream tails paths into a single channel for the `tail` debug command.
func (s *Shipper) Stream(ctx context.Context, paths []string) <-chan Line {
	out := make(chan Line, 64)
	go s.collect(ctx, paths, out)
	return out
}

func (s *Shipper) collect(ctx context.Context, paths []string, out chan<- Line) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			if err := s.Tailer.Follow(ctx, p, out); err != nil && !errors.Is(err, context.Canceled) {
				s.Log.Printf("tail %s: %v", p, err)
			}
		}()
	}
	<-ctx.Done()
}

// Merge fans several line channels into one. out is closed after all
// forwarders are done.
func Merge(ctx context.Context, ins ...<-chan Line) <-chan Line {
	out := make(chan Line)
	go func() {
		defer close(out) // ok: wg.Wait below runs before the deferred close
		var wg sync.WaitGroup
		for _, in := range ins {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for l := range in {
					select {
					case out <- l:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		wg.Wait()
	}()
	return out
}
