package uplink

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
)

const maxSegment = 8 << 20

// ForwardSegments publishes every flushed segment file announced on files,
// for as long as the hub runs.
func (c *Client) ForwardSegments(ctx context.Context, files <-chan string) {
	for name := range files {
		f, err := os.Open(name)
		if err != nil {
			log.Printf("uplink: forward: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		payload, err := io.ReadAll(io.LimitReader(f, maxSegment))
		if err != nil {
			log.Printf("uplink: forward %s: %v", name, err)
			continue
		}
		msg := Message{Topic: "hub/" + c.id + "/segments/" + filepath.Base(name), Payload: payload}
		if err := c.Publish(ctx, msg); err != nil {
			log.Printf("uplink: forward %s: %v", name, err)
		}
	}
}

// SendSegment publishes one segment file.
func (c *Client) SendSegment(ctx context.Context, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() > maxSegment {
		return fmt.Errorf("uplink: segment %s is %d bytes, limit %d", name, fi.Size(), maxSegment)
	}
	payload, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	return c.Publish(ctx, Message{Topic: "hub/" + c.id + "/segments/" + filepath.Base(name), Payload: payload})
}

// ForwardUntil publishes announced segments until ctx ends or files is
// closed.
func (c *Client) ForwardUntil(ctx context.Context, files <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case name, ok := <-files:
			if !ok {
				return nil
			}
			if err := c.SendSegment(ctx, name); err != nil {
				log.Printf("uplink: forward %s: %v", name, err)
			}
		}
	}
}
