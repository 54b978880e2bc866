package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"time"

	"example.com/wfengine/internal/worker"
)

func registerActivities(w *worker.Worker, spool string) {
	w.Register("http.fetch", fetchActivity)
	w.Register("file.checksum", func(ctx context.Context, in []byte) ([]byte, error) {
		return checksumActivity(ctx, spool, in)
	})
	w.Register("sleep", sleepActivity)
}

// fetchActivity GETs a URL and returns status and size.
func fetchActivity(ctx context.Context, in []byte) ([]byte, error) {
	var args struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(in, &args); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args.URL, nil)
	if err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		return nil, fmt.Errorf("fetch %s: %s", args.URL, resp.Status)
	}
	return json.Marshal(map[string]any{"status": resp.StatusCode, "bytes": n})
}

// checksumActivity hashes a blob from the spool.
func checksumActivity(ctx context.Context, spool string, in []byte) ([]byte, error) {
	var args struct {
		Ref string `json:"ref"`
	}
	if err := json.Unmarshal(in, &args); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	blobs, err := worker.LoadInputs(spool, []string{args.Ref})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &worker.NonRetryableError{Err: err}
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(blobs[args.Ref])
	return json.Marshal(map[string]string{"sha256": hex.EncodeToString(sum[:])})
}

// sleepActivity waits for the requested duration, honouring cancellation.
func sleepActivity(ctx context.Context, in []byte) ([]byte, error) {
	var args struct {
		Millis int64 `json:"ms"`
	}
	if err := json.Unmarshal(in, &args); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	t := time.NewTimer(time.Duration(args.Millis) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return []byte(`{}`), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
