package load

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"

	"example.com/etl/internal/record"
)

// Uploader pipes gzip-compressed JSON lines into an external upload
// command, e.g. `aws s3 cp - s3://bucket/key.jsonl.gz`.
type Uploader struct {
	Command string
	Args    []string
}

// Upload runs the command and streams recs into its standard input.
func (u *Uploader) Upload(ctx context.Context, recs []record.Record) error {
	cmd := exec.CommandContext(ctx, u.Command, u.Args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	werr := writeGzipJSONL(stdin, recs)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("upload: %s: %w: %s", u.Command, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return werr
}

// writeGzipJSONL compresses recs into w and closes w so that the reader
// sees EOF.
func writeGzipJSONL(w io.WriteCloser, recs []record.Record) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer w.Close()
	enc := json.NewEncoder(zw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// UploadFile streams an existing file into the upload command.
func (u *Uploader) UploadFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, u.Command, u.Args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	zw := gzip.NewWriter(stdin)
	if _, err := io.Copy(zw, f); err != nil {
		return fmt.Errorf("upload %s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return stdin.Close()
}
