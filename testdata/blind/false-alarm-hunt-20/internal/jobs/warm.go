package jobs

import "context"

// Warmer fills a cache or connection pool before traffic arrives.
type Warmer interface {
	Name() string
	Warm(ctx context.Context) error
}
