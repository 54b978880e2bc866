package client

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"example.com/messagebroker/internal/protocol"
)

// spool appends a message to the on-disk outbox while the broker is
// unreachable. The close error is joined into the named result.
func (c *Client) spool(topic string, key, value []byte) (err error) {
	if err := os.MkdirAll(c.cfg.OutboxDir, 0o755); err != nil {
		return err
	}
	name := filepath.Join(c.cfg.OutboxDir, fmt.Sprintf("%s-%d.out", topic, time.Now().UnixNano()))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	frame := protocol.Frame{Type: protocol.TypeProduce, Payload: protocol.ProduceRequest{Topic: topic, Key: key, Value: value}.Marshal()}
	if err := protocol.WriteFrame(bw, frame); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// outboxFiles lists spooled files, oldest first.
func (c *Client) outboxFiles() ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(c.cfg.OutboxDir, "*.out"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// replayFile re-sends every frame in r.
func (c *Client) replayFile(ctx context.Context, r io.Reader) (int, error) {
	br := bufio.NewReader(r)
	n := 0
	for {
		f, err := protocol.ReadFrame(br)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if _, err := c.doRetry(ctx, f); err != nil {
			return n, err
		}
		n++
	}
}

// ReplayOutbox replays spooled files announced on ch, for as long as the
// client runs.
func (c *Client) ReplayOutbox(ctx context.Context, ch <-chan string) {
	for path := range ch {
		f, err := os.Open(path)
		if err != nil {
			log.Printf("client: outbox %s: %v", path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		n, err := c.replayFile(ctx, f)
		if err != nil {
			log.Printf("client: outbox %s: replayed %d, %v", path, n, err)
			continue
		}
		if err := os.Remove(path); err != nil {
			log.Printf("client: outbox %s: %v", path, err)
		}
	}
}

// ReplayPending replays every spooled file once; each file is closed at the
// end of its own iteration.
func (c *Client) ReplayPending(ctx context.Context) (int, error) {
	files, err := c.outboxFiles()
	if err != nil {
		return 0, err
	}
	total := 0
	for _, path := range files {
		n, err := c.replayPath(ctx, path)
		total += n
		if err != nil {
			return total, fmt.Errorf("client: outbox %s: %w", path, err)
		}
	}
	return total, nil
}

func (c *Client) replayPath(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := c.replayFile(ctx, f)
	if err != nil {
		return n, err
	}
	return n, os.Remove(path)
}

// outboxSize sums the payload sizes recorded in the frame headers.
func outboxSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var total int64
	var hdr [9]byte
	for {
		if _, err := io.ReadFull(f, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return total, nil
			}
			return total, err
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		if _, err := f.Seek(n, io.SeekCurrent); err != nil {
			return total, err
		}
		total += n
	}
}
