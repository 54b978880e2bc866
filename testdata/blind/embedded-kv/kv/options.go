package kv

import (
	"log"
	"time"

	"example.com/ekv/internal/page"
)

// Options configure Open. The zero value is usable.
type Options struct {
	// PageSize is used when creating a new file; existing files keep theirs.
	PageSize int
	// CacheSize is the page cache capacity, in pages.
	CacheSize int
	// ReadOnly opens the file without the lock file and rejects writes.
	ReadOnly bool
	// NoSync skips fsync on commit (bulk loads, tests).
	NoSync bool
	// StatsInterval is the period of the background stats collector;
	// zero disables it.
	StatsInterval time.Duration
	// Logger receives diagnostics; nil discards them.
	Logger *log.Logger
}

// DefaultOptions are used when Open is given nil options.
var DefaultOptions = Options{
	PageSize:      page.DefaultSize,
	CacheSize:     1024,
	StatsInterval: 10 * time.Second,
}

func (o *Options) withDefaults() Options {
	if o == nil {
		return DefaultOptions
	}
	out := *o
	if out.PageSize == 0 {
		out.PageSize = DefaultOptions.PageSize
	}
	if out.CacheSize == 0 {
		out.CacheSize = DefaultOptions.CacheSize
	}
	return out
}
