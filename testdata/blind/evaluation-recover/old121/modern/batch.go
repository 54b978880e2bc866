//go:build go1.22

// Package modern holds the batch fan-out code that was already ported to
// go1.22 semantics: the build constraint raises this file's language
// version above the module's go1.21, so loop-declared variables are per
// iteration here.
package modern

import (
	"context"
	"log"
	"sync"
)

// Batch is a group of records to upload.
type Batch struct {
	ID      string
	Records []string
}

// Uploader uploads batches.
type Uploader struct {
	log    *log.Logger
	upload func(ctx context.Context, b Batch) error
}

// New returns an uploader.
func New(l *log.Logger, upload func(context.Context, Batch) error) *Uploader {
	return &Uploader{log: l, upload: upload}
}

// UploadAll uploads every batch concurrently.
func (u *Uploader) UploadAll(ctx context.Context, batches []Batch) {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() { // ok: file version go1.22, b is per iteration
			defer wg.Done()
			if err := u.upload(ctx, b); err != nil {
				u.log.Printf("batch %s: %v", b.ID, err)
			}
		}()
	}
	wg.Wait()
}

// UploadIndexed uploads batches by index.
func (u *Uploader) UploadIndexed(ctx context.Context, batches []Batch) []error {
	errs := make([]error, len(batches))
	var wg sync.WaitGroup
	for i := 0; i < len(batches); i++ {
		wg.Add(1)
		go func() { // ok: file version go1.22, i is per iteration
			defer wg.Done()
			errs[i] = u.upload(ctx, batches[i])
		}()
	}
	wg.Wait()
	return errs
}

// UploadUntilEmpty uploads batches up to the first empty one. The index is
// declared outside the loop, so it is shared even under go1.22.
func (u *Uploader) UploadUntilEmpty(ctx context.Context, batches []Batch) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(batches); i++ {
		if len(batches[i].Records) == 0 {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := u.upload(ctx, batches[i]); err != nil {
				u.log.Printf("batch %d: %v", i, err)
			}
		}()
		u.log.Printf("batch %s scheduled", batches[i].ID)
	}
	wg.Wait()
	return i
}
