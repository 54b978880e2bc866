// Package pubsub is a client the agent runs in the background.
package pubsub

import (
	"context"
	"log"
)

type Client struct{ addr string }

func NewClient(addr string) *Client { return &Client{addr: addr} }

// Run keeps the session up until ctx ends; a panic in it is not caught here.
func (c *Client) Run(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

// RunSafe is Run with its own recover.
func (c *Client) RunSafe(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("pubsub: %v", r)
		}
	}()
	return c.Run(ctx)
}

// Sink receives delivered messages; the module's outputs implement it.
type Sink interface {
	Deliver(ctx context.Context, msg string) error
}
