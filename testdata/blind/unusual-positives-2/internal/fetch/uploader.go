package fetch

import (
	"errors"
	"fmt"
	"strings"
)

// Store is where uploads end up.
type Store interface {
	Put(name string, data []byte) error
}

// Uploader validates and stores blobs.
type Uploader struct {
	store   Store
	maxSize int
}

// NewUploader returns an uploader over store.
func NewUploader(store Store, maxSize int) *Uploader {
	return &Uploader{store: store, maxSize: maxSize}
}

func (u *Uploader) validate(name string, data []byte) error {
	switch {
	case name == "" || strings.ContainsAny(name, "/\\"):
		return fmt.Errorf("upload: bad name %q", name)
	case len(data) > u.maxSize:
		return errors.New("upload: too large")
	}
	return nil
}

func (u *Uploader) push(name string, data []byte, errc chan<- error) {
	errc <- u.store.Put(name, data)
}

// Upload stores data while validating it in parallel.
func (u *Uploader) Upload(name string, data []byte) error {
	errc := make(chan error)
	go u.push(name, data, errc) // HAZ goroutine-blocked-send
	if err := u.validate(name, data); err != nil {
		return err
	}
	return <-errc
}

// UploadChecked validates before it starts the store.
func (u *Uploader) UploadChecked(name string, data []byte) error {
	if err := u.validate(name, data); err != nil {
		return err
	}
	errc := make(chan error)
	go u.push(name, data, errc)
	return <-errc
}

// UploadAll stores every blob concurrently; the channel is buffered to the
// number of senders, so an early return leaves no goroutine stuck.
func (u *Uploader) UploadAll(blobs map[string][]byte) error {
	errc := make(chan error, len(blobs))
	for name, data := range blobs {
		go u.push(name, data, errc)
	}
	for range blobs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
