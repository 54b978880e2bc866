package order

import (
	"bufio"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
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

// captureErr runs a release and joins its error into *errp.
func captureErr(errp *error, release func() error) { *errp = errors.Join(*errp, release()) }

// Through a helper taking method values: the file is still closed before the flush.
func appendJournal(path string, lines []string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer captureErr(&err, bw.Flush)
	defer captureErr(&err, f.Close) // want `the deferred captureErr\(&err, f\.Close\) runs before the deferred captureErr\(&err, bw\.Flush\) registered on line \d+`
	for _, l := range lines {
		if _, err := bw.WriteString(l); err != nil {
			return err
		}
	}
	return nil
}

// closeInto closes c and joins its error into *errp.
func closeInto(errp *error, c io.Closer) { *errp = errors.Join(*errp, c.Close()) }

// Through a helper that closes its argument, in the right order: no finding.
func compressTo(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer closeInto(&err, f)
	zw := gzip.NewWriter(f)
	defer closeInto(&err, zw)
	_, err = zw.Write(data)
	return err
}
