package order

import (
	"compress/gzip"
	"encoding/base64"
	"errors"
	"os"
)

type compressedLog struct {
	out *os.File
	gz  *gzip.Writer
}

// The writer and its file kept in fields of a local: still closed in the wrong order.
func dumpEvents(path string, events []string) (err error) {
	var cl compressedLog
	cl.out, err = os.Create(path)
	if err != nil {
		return err
	}
	cl.gz = gzip.NewWriter(cl.out)
	defer func() { err = errors.Join(err, cl.gz.Close()) }()
	defer func() { err = errors.Join(err, cl.out.Close()) }() // want `the deferred cl\.out\.Close\(\) runs before the deferred cl\.gz\.Close\(\) registered on line \d+ because deferred calls run last in, first out: cl\.gz\.Close\(\) then writes the rest of the gzip writer cl\.gz's data into an already closed cl\.out`
	for _, e := range events {
		if _, err := cl.gz.Write([]byte(e)); err != nil {
			return err
		}
	}
	return nil
}

// The same fields in the right order.
func dumpEventsInOrder(path string, events []string) (err error) {
	var cl compressedLog
	cl.out, err = os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, cl.out.Close()) }()
	cl.gz = gzip.NewWriter(cl.out)
	defer func() { err = errors.Join(err, cl.gz.Close()) }()
	for _, e := range events {
		if _, err := cl.gz.Write([]byte(e)); err != nil {
			return err
		}
	}
	return nil
}

// A base64 encoder writes its last partial block at Close, into the writer given second.
func encodeAttachment(path string, blob []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := base64.NewEncoder(base64.StdEncoding, f)
	defer func() { err = errors.Join(err, enc.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // want `the deferred f\.Close\(\) runs before the deferred enc\.Close\(\) registered on line \d+ because deferred calls run last in, first out: enc\.Close\(\) then writes the rest of the base64 encoder enc's data into an already closed f`
	_, err = enc.Write(blob)
	return err
}
