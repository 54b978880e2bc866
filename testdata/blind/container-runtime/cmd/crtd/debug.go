package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// writeDebugBundle writes a tar archive with the daemon's view of all
// containers and the logs of the given ones, for "crtctl debug-bundle".
func writeDebugBundle(w io.Writer, d *daemon, ids []string) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	var buf bytes.Buffer
	if err := dumpState(d)(&buf); err != nil {
		return err
	}
	if err := addBytes(tw, "state.txt", buf.Bytes()); err != nil {
		return err
	}
	return addLogs(tw, d, ids)
}

func addBytes(tw *tar.Writer, name string, data []byte) error {
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// addLogs appends the output log of every container in ids.
func addLogs(tw *tar.Writer, d *daemon, ids []string) error {
	for _, id := range ids {
		f, err := os.Open(d.logPath(id))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		st, err := f.Stat()
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: "logs/" + id + ".log", Mode: 0o644, Size: st.Size(), ModTime: st.ModTime()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.CopyN(tw, f, st.Size()); err != nil {
			return err
		}
	}
	return nil
}
