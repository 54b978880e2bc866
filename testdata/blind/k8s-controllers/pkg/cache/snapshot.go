package cache

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"example.com/k8scontrollers/pkg/api"
)

// WriteSnapshot writes every cached object to path as gzip-compressed JSON
// lines, so that a restarted process can serve reads before its first list.
func (s *Store) WriteSnapshot(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, obj := range s.List() {
		if err := enc.Encode(obj); err != nil {
			return fmt.Errorf("cache: snapshot %s: %w", obj.GetMeta().Key(), err)
		}
	}
	return zw.Close()
}

// LoadSnapshot replaces the store content with a snapshot written by
// WriteSnapshot.
func (s *Store) LoadSnapshot(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("cache: snapshot %s: %w", path, err)
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	var objs []api.Object
	for {
		var w api.Widget
		err := dec.Decode(&w)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("cache: snapshot %s: %w", path, err)
		}
		objs = append(objs, &w)
	}
	return s.Replace(objs, "")
}

// ExportObjects writes objs to a compressed export file for offline
// analysis.
func ExportObjects(path string, objs []api.Object) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for _, obj := range objs {
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	return nil
}

// CountSnapshot returns the number of objects in a snapshot without loading
// it into a store.
func CountSnapshot(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	n := 0
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return n, nil
		} else if err != nil {
			return n, err
		}
		n++
	}
}
