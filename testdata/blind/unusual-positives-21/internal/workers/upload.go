package workers

import (
	"errors"
	"log"
	"sync"
)

// UploadAll uploads every non-empty blob concurrently and returns the joined
// errors.
func UploadAll(blobs []Job, upload func(Job) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(blobs))
	for _, b := range blobs {
		wg.Add(1)
		go func() {
			done := wg.Done // HAZ waitgroup-done-path
			if b.Size == 0 {
				// nothing to upload
				return
			}
			if err := upload(b); err != nil {
				errc <- err
			}
			done()
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// UploadNonEmpty is UploadAll with the method value deferred.
func UploadNonEmpty(blobs []Job, upload func(Job) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(blobs))
	for _, b := range blobs {
		wg.Add(1)
		go func() {
			done := wg.Done
			defer done()
			if b.Size == 0 {
				return
			}
			if err := upload(b); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Broadcast sends m to every peer and waits for the sends. A goroutine
// releases the caller as soon as its send succeeded, before logging.
func Broadcast(peers []string, m Message, send func(string, Message) error, lg *log.Logger) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			finish := func() {
				wg.Done() // HAZ waitgroup-done-path
			}
			defer finish()
			if err := send(p, m); err != nil {
				lg.Printf("broadcast to %s: %v", p, err)
				return
			}
			finish()
			lg.Printf("broadcast to %s: delivered %s", p, m.Digest)
		}()
	}
	wg.Wait()
}

// BroadcastOnce is Broadcast with the early release made idempotent by
// sync.OnceFunc, so the deferred call after it is a no-op.
func BroadcastOnce(peers []string, m Message, send func(string, Message) error, lg *log.Logger) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			finish := sync.OnceFunc(wg.Done)
			defer finish()
			if err := send(p, m); err != nil {
				lg.Printf("broadcast to %s: %v", p, err)
				return
			}
			finish()
			lg.Printf("broadcast to %s: delivered %s", p, m.Digest)
		}()
	}
	wg.Wait()
}
