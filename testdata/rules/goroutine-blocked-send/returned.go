package blockedsend

import (
	"context"
	"errors"
	"time"
)

type reply struct {
	body []byte
	err  error
}

func fetchPath(ctx context.Context, path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("empty path")
	}
	return []byte(path), ctx.Err()
}

// startDownload hands its unbuffered channel to the caller, and downloadWithin gives up on
// timeout without receiving.
func startDownload(ctx context.Context, path string) <-chan reply {
	ch := make(chan reply) // want `startDownload makes ch unbuffered and returns it, .* downloadWithin receives from it in a select whose other case`
	go func() {
		b, err := fetchPath(ctx, path)
		ch <- reply{b, err}
	}()
	return ch
}

func downloadWithin(ctx context.Context, path string, d time.Duration) ([]byte, error) {
	select {
	case r := <-startDownload(ctx, path):
		return r.body, r.err
	case <-time.After(d):
		return nil, errors.New("download timed out")
	}
}

// The buffered variant: the goroutine's send completes whether or not anyone receives.
func startDownloadBuffered(ctx context.Context, path string) <-chan reply {
	ch := make(chan reply, 1)
	go func() {
		b, err := fetchPath(ctx, path)
		ch <- reply{b, err}
	}()
	return ch
}

func downloadBufferedWithin(ctx context.Context, path string, d time.Duration) ([]byte, error) {
	select {
	case r := <-startDownloadBuffered(ctx, path):
		return r.body, r.err
	case <-time.After(d):
		return nil, errors.New("download timed out")
	}
}

// Every caller waits for the result: the send always finds its receiver.
func startChecksum(data []byte) <-chan int {
	ch := make(chan int)
	go func() {
		sum := 0
		for _, b := range data {
			sum += int(b)
		}
		ch <- sum
	}()
	return ch
}

func checksum(data []byte) int {
	c := startChecksum(data)
	return <-c
}
