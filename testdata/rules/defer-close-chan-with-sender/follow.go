package closechan

import "context"

type tailer struct{}

// follow sends every line it reads on out until ctx is done.
func (t *tailer) follow(ctx context.Context, path string, out chan<- string) error {
	for {
		select {
		case out <- path:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// followAll hands out on to follow, one level further down.
func (t *tailer) followAll(ctx context.Context, paths []string, out chan<- string) {
	for _, p := range paths {
		_ = t.follow(ctx, p, out)
	}
}
